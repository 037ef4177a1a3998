"""The hash chain: each record of an issuer holds the hash of the one before it.

`hash` = sha256 hex of the RFC 8785 canonical JSON of `{"issuer", "position",
"credential", "prev_hash"}`; positions count from 0 per issuer; the first record of an
issuer has `prev_hash: null`. Changing, dropping, swapping or inserting a record breaks
the chain at that point; `ChainWalk` says which of these it looks like.

A learner's export of a hosted server's chain (which interleaves all its learners) is a
*partial view*: it starts at the learner's first record and fills the gaps between their
records with `Witness` entries (position and hashes, no credential), so every link is still
checked without showing anyone else's credential.

What the chain proves: that a ledger is whole and in order as its keeper wrote it (a
published head hash pins all of history before it). It does not stop the keeper rewriting
their own chain from scratch; signatures say who vouches for each credential, the chain
only how they were kept (docs/track-record.md).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
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


@dataclass(frozen=True)
class Witness:
    """A position of an issuer's chain that is not the learner's: its links, no credential.

    A hosted server's chain interleaves its learners; a learner's export fills the gaps
    between their own records with witnesses, so each link is still checked without
    revealing anyone else's credential (docs/track-record.md, "Partial chains")."""

    issuer: str
    position: int
    prev_hash: str | None
    hash: str

    def to_dict(self) -> dict[str, object]:
        return {
            "issuer": self.issuer,
            "position": self.position,
            "witness": True,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def _spans(positions: Sequence[int]) -> str:
    """`2`, `2..4`, `2..4, 7`: sorted positions as runs."""
    runs: list[list[int]] = []
    for p in sorted(positions):
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return ", ".join(str(a) if a == b else f"{a}..{b}" for a, b in runs)


class ChainWalk:
    """Checks the links of records in file order, each issuer's chain on its own.

    `step(record)` says whether the record follows the issuer's records before it in the
    file, and, when it does not, what that looks like: an inserted copy, a swap, a gap.

    An issuer in `partial` is a view of its chain: it starts at the lowest position of its
    records (that record's prev_hash links to records not shown) and the gaps between its
    records are filled by `witnesses`, whose links are checked like any record's. A chain
    not in `partial` starts at 0 and its witnesses are ignored (a gap is a drop)."""

    def __init__(
        self,
        records: Sequence[Record],
        witnesses: Sequence[Witness] = (),
        partial: Collection[str] = (),
    ) -> None:
        self._ahead: dict[str, Counter[int]] = {}
        for r in records:
            self._ahead.setdefault(r.issuer, Counter())[r.position] += 1
        self._witness: dict[str, dict[int, Witness]] = {}
        for w in witnesses:
            if w.issuer in partial:
                self._witness.setdefault(w.issuer, {})[w.position] = w
        self.start: dict[str, int] = {
            i: min(c) if i in partial and c else 0 for i, c in self._ahead.items()
        }
        self._last = {i: max(c) for i, c in self._ahead.items() if c}
        self._count: dict[str, int] = {}
        self._seen: dict[str, set[int]] = {}
        self._head: dict[str, str] = {}

    def step(self, record: Record) -> str | None:
        issuer = record.issuer
        expected = self.start[issuer] + self._count.get(issuer, 0)
        seen = self._seen.setdefault(issuer, set())
        self._ahead[issuer][record.position] -= 1
        prev = self._head.get(issuer)
        first = issuer not in self._count
        filled = self._filled(issuer, expected, record.position)
        self._count[issuer] = self._count.get(issuer, 0) + 1 + len(filled)
        self._head[issuer] = record.hash
        problem = self._problem(record, expected, seen, prev, first) or self._stray(record)
        seen.add(record.position)
        return problem

    def _filled(self, issuer: str, expected: int, position: int) -> list[Witness]:
        """The witnesses that fill the gap before `position`, when they all are there."""
        found = self._witness.get(issuer, {})
        gap = [found.get(k) for k in range(expected, position)]
        return [w for w in gap if w is not None] if all(gap) else []

    def _problem(
        self, record: Record, expected: int, seen: set[int], prev: str | None, first: bool
    ) -> str | None:
        if record.position in seen:
            return f"position {record.position} appears twice: a record was inserted"
        if record.position in self._witness.get(record.issuer, {}):
            return f"position {record.position} is also a witness: a record was inserted"
        if record.position > expected and self._ahead[record.issuer][expected] > 0:
            return (
                f"out of order: position {record.position} comes before position {expected} "
                "(records swapped)"
            )
        if record.position > expected:
            return self._gap(record, expected, prev)
        if record.position != expected:
            return f"position {record.position} where {expected} was expected"
        if first and expected > 0:  # a partial view: the link to earlier records is taken
            if record.prev_hash is None:
                return f"prev_hash is null at position {expected}: only position 0 has none"
            return None
        if record.prev_hash != prev:
            return (
                f"chain broken: prev_hash {str(record.prev_hash)[:12]}... is not the hash of "
                f"the record before ({str(prev)[:12]}...): a record was inserted or replaced"
            )
        return None

    def _gap(self, record: Record, expected: int, prev: str | None) -> str | None:
        """The positions expected..record.position-1 are not records: witnesses must fill
        them, each linking to the one before."""
        issuer, found = record.issuer, self._witness.get(record.issuer, {})
        missing = [k for k in range(expected, record.position) if k not in found]
        if missing and self._ahead[issuer][missing[0]] > 0:
            return (
                f"out of order: position {record.position} comes before position "
                f"{missing[0]} (records swapped)"
            )
        if missing:
            return f"record(s) at position {_spans(missing)} missing before this one (dropped)"
        for k in range(expected, record.position):
            if found[k].prev_hash != prev:
                return (
                    f"witness at position {k} does not link: its prev_hash "
                    f"{str(found[k].prev_hash)[:12]}... is not the hash of position {k - 1} "
                    f"({str(prev)[:12]}...): a forged witness"
                )
            prev = found[k].hash
        if record.prev_hash != prev:
            return (
                f"chain broken: prev_hash {str(record.prev_hash)[:12]}... is not the hash of "
                f"the witness at position {record.position - 1} ({str(prev)[:12]}...): a "
                "record was replaced or the witness forged"
            )
        return None

    def _stray(self, record: Record) -> str | None:
        """Witnesses before the first or after the last record: a record there was dropped
        (a view starts and ends with the learner's own records)."""
        found = self._witness.get(record.issuer, {})
        if record.position == self.start[record.issuer]:
            before = [k for k in found if k < record.position]
            if before:
                return (
                    f"record(s) before position {record.position} missing (dropped): the "
                    f"witness(es) at {_spans(before)} lead to a record not in the file"
                )
        if record.position == self._last[record.issuer]:
            after = [k for k in found if k > record.position]
            if after:
                return (
                    f"record(s) after position {record.position} missing (dropped): the "
                    f"witness(es) at {_spans(after)} follow it, but no record does"
                )
        return None
