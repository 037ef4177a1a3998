"""W3C Bitstring Status List v1.0: the revocation bits a host publishes.

A credential's `credentialStatus` is a `BitstringStatusListEntry` naming a status list
credential (a URL) and an index in it. The list is a bitstring of at least 131,072 bits
(16 KiB) where bit `i` is the status of the credential at index `i`: index 0 is the
left-most (most significant) bit of the first byte; 1 means revoked. It is published
GZIP-compressed and base64url-encoded (no padding) with the multibase prefix `u`, inside a
`BitstringStatusListCredential` signed by the same issuer.

Decoding refuses lists that inflate past MAX_BYTES (a small file must not become gigabytes).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from trackrecord.ledger.credential import VC_CONTEXT, iso
from trackrecord.ledger.keys import Issuer

MIN_BITS = 131_072  # the specification's minimum: 16 KiB, for herd privacy
MAX_BYTES = 16 * 1024 * 1024
PURPOSE = "revocation"


class StatusListError(ValueError):
    """An encodedList that cannot be decoded."""


def bitstring(revoked: Iterable[int], size: int = MIN_BITS) -> bytearray:
    """A bitstring of `size` bits (rounded up to whole bytes) with `revoked` indexes set."""
    bits = bytearray((max(size, MIN_BITS) + 7) // 8)
    for index in revoked:
        set_bit(bits, index)
    return bits


def set_bit(bits: bytearray, index: int) -> None:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} is outside a list of {len(bits) * 8} bits")
    bits[index // 8] |= 0x80 >> (index % 8)


def is_set(bits: bytes | bytearray, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} is outside a list of {len(bits) * 8} bits")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode(bits: bytes | bytearray) -> str:
    """The `encodedList`: multibase `u` + base64url (no padding) of the GZIP'd bits."""
    packed = gzip.compress(bytes(bits), mtime=0)  # mtime 0: the same bits, the same text
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytearray:
    """The bitstring of an `encodedList` (StatusListError when malformed or too large)."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (start with 'u')")
    body = encoded[1:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError(f"encodedList is not base64url: {exc}") from None
    out = io.BytesIO()
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    try:
        chunk = inflater.decompress(packed, MAX_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError(f"encodedList is not GZIP data: {exc}") from None
    out.write(chunk)
    if out.tell() > MAX_BYTES or inflater.unconsumed_tail:
        raise StatusListError(f"the status list inflates past {MAX_BYTES} bytes")
    bits = bytearray(out.getvalue())
    if len(bits) * 8 < MIN_BITS:
        raise StatusListError(f"the status list has {len(bits) * 8} bits, fewer than {MIN_BITS}")
    return bits


def entry(list_url: str, index: int) -> dict[str, Any]:
    """The `credentialStatus` of a credential at `index` of the list at `list_url`."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(
    issuer: Issuer, list_url: str, bits: bytes | bytearray, valid_from: datetime
) -> dict[str, Any]:
    """The `BitstringStatusListCredential` publishing `bits` (sign it with vcjwt.sign)."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.profile(),
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(bits),
        },
    }


def index_of(status: Mapping[str, Any]) -> tuple[str, int]:
    """(status list URL, index) of a BitstringStatusListEntry; ValueError when malformed."""
    if status.get("type") != "BitstringStatusListEntry":
        raise ValueError(f"unknown credentialStatus type {status.get('type')!r}")
    url, raw = status.get("statusListCredential"), status.get("statusListIndex")
    if not isinstance(url, str) or not isinstance(raw, str) or not raw.isdigit():
        raise ValueError(
            "credentialStatus needs statusListCredential and a numeric statusListIndex"
        )
    return url, int(raw)
