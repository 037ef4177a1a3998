"""The hash chain: each record of an issuer holds the hash of the one before it.

`hash` = sha256 hex of the RFC 8785 canonical JSON of `{"issuer", "position",
"credential", "prev_hash"}`; positions count from 0 per issuer; the first record of an
issuer has `prev_hash: null`. Changing, dropping, swapping or inserting a record breaks
the chain at that point; `link_problem` says which of these it looks like.

What the chain proves: that a ledger is whole and in order as its keeper wrote it (a
published head hash pins all of history before it). It does not stop the keeper rewriting
their own chain from scratch; signatures say who vouches for each credential, the chain
only how they were kept (docs/track-record.md).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import rfc8785


@dataclass(frozen=True)
class Record:
    """One entry of the ledger, as stored and as exported."""

    issuer: str
    position: int
    credential: str  # the VC-JWT
    prev_hash: str | None
    hash: str

    def to_dict(self) -> dict[str, object]:
        return {
            "issuer": self.issuer,
            "position": self.position,
            "credential": self.credential,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


# Printable ASCII but '"' and '\\': a string RFC 8785 writes as itself between quotes.
_PLAIN = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")
_MAX_SAFE = 2**53  # integers RFC 8785 (ECMAScript) writes as plain digits


def canonical_record(issuer: str, position: int, credential: str, prev_hash: str | None) -> bytes:
    """RFC 8785 canonical JSON of a record's hashed members.

    Records are almost always plain (URIs, base64url tokens, hex hashes): for those the
    canonical form is written directly, keys in RFC 8785 order, which is 5x faster than the
    general serializer (bench/ledger.py verifies 10,000 records); anything else goes
    through the rfc8785 library, and a property test checks both give the same bytes."""
    texts = (issuer, credential, "" if prev_hash is None else prev_hash)
    if (
        type(position) is int
        and 0 <= position < _MAX_SAFE
        and all(type(t) is str and _PLAIN.fullmatch(t) for t in texts)
    ):
        prev = "null" if prev_hash is None else f'"{prev_hash}"'
        return (
            f'{{"credential":"{credential}","issuer":"{issuer}",'
            f'"position":{position},"prev_hash":{prev}}}'
        ).encode("ascii")
    body: dict[str, str | int | None] = {
        "issuer": issuer,
        "position": position,
        "credential": credential,
        "prev_hash": prev_hash,
    }
    return rfc8785.dumps(body)


def record_hash(issuer: str, position: int, credential: str, prev_hash: str | None) -> str:
    """The hash of a record's content and link (RFC 8785 canonical JSON, sha256 hex)."""
    return hashlib.sha256(canonical_record(issuer, position, credential, prev_hash)).hexdigest()


def next_record(issuer: str, credential: str, head: Record | None) -> Record:
    """The record that appends `credential` after `head` (None: the issuer's first)."""
    position = 0 if head is None else head.position + 1
    prev = None if head is None else head.hash
    return Record(
        issuer, position, credential, prev, record_hash(issuer, position, credential, prev)
    )


def build_chain(issuer: str, credentials: Sequence[str]) -> list[Record]:
    """A whole chain for `credentials`, in order."""
    records: list[Record] = []
    for token in credentials:
        records.append(next_record(issuer, token, records[-1] if records else None))
    return records


def content_problem(record: Record) -> str | None:
    """Whether the record's stored hash is the hash of its content."""
    actual = record_hash(record.issuer, record.position, record.credential, record.prev_hash)
    if actual != record.hash:
        return (
            f"content changed: the record's hash is {record.hash[:12]}..., its content "
            f"hashes to {actual[:12]}..."
        )
    return None


class ChainWalk:
    """Checks the links of records in file order, each issuer's chain on its own.

    `step(record)` says whether the record follows the issuer's records before it in the
    file, and, when it does not, what that looks like: an inserted copy, a swap, a gap."""

    def __init__(self, records: Sequence[Record]) -> None:
        self._ahead: dict[str, Counter[int]] = {}
        for r in records:
            self._ahead.setdefault(r.issuer, Counter())[r.position] += 1
        self._count: dict[str, int] = {}
        self._seen: dict[str, set[int]] = {}
        self._head: dict[str, str] = {}

    def step(self, record: Record) -> str | None:
        issuer = record.issuer
        expected = self._count.get(issuer, 0)
        seen = self._seen.setdefault(issuer, set())
        self._ahead[issuer][record.position] -= 1
        prev = self._head.get(issuer)
        self._count[issuer] = expected + 1
        self._head[issuer] = record.hash
        problem = self._problem(record, expected, seen, prev)
        seen.add(record.position)
        return problem

    def _problem(
        self, record: Record, expected: int, seen: set[int], prev: str | None
    ) -> str | None:
        if record.position in seen:
            return f"position {record.position} appears twice: a record was inserted"
        if record.position > expected and self._ahead[record.issuer][expected] > 0:
            return (
                f"out of order: position {record.position} comes before position {expected} "
                "(records swapped)"
            )
        if record.position > expected:
            gap = (
                str(expected)
                if record.position == expected + 1
                else (f"{expected}..{record.position - 1}")
            )
            return f"record(s) at position {gap} missing before this one (dropped)"
        if record.position != expected:
            return f"position {record.position} where {expected} was expected"
        if record.prev_hash != prev:
            return (
                f"chain broken: prev_hash {str(record.prev_hash)[:12]}... is not the hash of "
                f"the record before ({str(prev)[:12]}...): a record was inserted or replaced"
            )
        return None
