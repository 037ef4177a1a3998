"""The verifiable track record: signing keys, Open Badges 3.0 credentials secured as
VC-JWTs, Bitstring Status Lists, the hash-chained ledger, its export and its verification.

The modules are pure (no database, HTTP or terminal); `trackrecord.ledger.service` holds
the use cases over the database. See docs/track-record.md.
"""

from __future__ import annotations

from trackrecord.ledger.chain import Record, build_chain, record_hash
from trackrecord.ledger.export import (
    Export,
    InvalidLedger,
    IssuerEntry,
    loads_export,
    parse_export,
    read_export,
    write_export,
)
from trackrecord.ledger.keys import Issuer, KeyStore, keystore
from trackrecord.ledger.vcjwt import decode_credential
from trackrecord.ledger.verify import RecordCheck, VerifyReport, verify_export

__all__ = [
    "Export",
    "InvalidLedger",
    "Issuer",
    "IssuerEntry",
    "KeyStore",
    "Record",
    "RecordCheck",
    "VerifyReport",
    "build_chain",
    "decode_credential",
    "keystore",
    "loads_export",
    "parse_export",
    "read_export",
    "record_hash",
    "verify_export",
    "write_export",
]
