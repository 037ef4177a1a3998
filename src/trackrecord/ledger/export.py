"""The ledger export file (`trackrecord export FILE`, the site's `trackrecord.json`).

    {"format": "trackrecord-ledger", "version": 1, "exported_at": "...Z",
     "subject": {"id": "...", "name": "..."},
     "issuers": {"<issuer id>": {"name": "...", "jwks": {"keys": [...]},
                                  "source": "self" | "<url of jwks.json>",
                                  "partial": true (only when the chain is a partial view)}},
     "status_lists": {"<status list url>": "<status list credential: VC-JWT or JSON>"},
     "records": [{"issuer", "position", "credential", "prev_hash", "hash"}
                 | {"issuer", "position", "witness": true, "prev_hash", "hash"}]}

A `partial` issuer's records are a view of its chain (a hosted server's chain interleaves
its learners): they start where the learner's first record is, and witnesses (no
credential) fill the positions between the learner's records. Files without either are
read exactly as before, so the version stays 1.

One parser per format version; a file of another format or a newer version is refused
with a message naming it. Every problem names where it is (`records[3].hash`).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackrecord.errors import Problem, TrackrecordError, summarize
from trackrecord.ledger.chain import Record, Witness

FORMAT = "trackrecord-ledger"
VERSION = 1
MAX_BYTES = 256 * 1024 * 1024  # ~80,000 credentials; refused before parsing


class InvalidLedger(TrackrecordError):
    status = 422
    code = "invalid_ledger"


@dataclass(frozen=True)
class IssuerEntry:
    name: str
    jwks: Mapping[str, Any]
    source: str  # "self" (keys carried by the file) or the URL of the issuer's jwks.json
    partial: bool = False  # the records are a view of the chain: from a position > 0, witnesses

    def to_dict(self) -> dict[str, Any]:
        out = {"name": self.name, "jwks": dict(self.jwks), "source": self.source}
        return {**out, "partial": True} if self.partial else out


@dataclass(frozen=True)
class Export:
    exported_at: str
    subject: Mapping[str, str]
    issuers: Mapping[str, IssuerEntry]
    records: list[Record]
    status_lists: Mapping[str, str | Mapping[str, Any]] = field(default_factory=dict)
    witnesses: list[Witness] = field(default_factory=list)  # of the `partial` issuers

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": self.exported_at,
            "subject": dict(self.subject),
            "issuers": {k: v.to_dict() for k, v in self.issuers.items()},
            "status_lists": {
                k: v if isinstance(v, str) else dict(v) for k, v in self.status_lists.items()
            },
            "records": self._entries(),
        }

    def _entries(self) -> list[dict[str, object]]:
        """The records in their order, each issuer's witnesses just before the first of its
        records that follows them (the order of the chain)."""
        pending: dict[str, list[Witness]] = {}
        for w in sorted(self.witnesses, key=lambda w: w.position, reverse=True):
            pending.setdefault(w.issuer, []).append(w)
        out: list[dict[str, object]] = []
        for r in self.records:
            waiting = pending.get(r.issuer, [])
            while waiting and waiting[-1].position < r.position:
                out.append(waiting.pop().to_dict())
            out.append(r.to_dict())
        out.extend(w.to_dict() for ws in pending.values() for w in reversed(ws))
        return out


class _Reader:
    """Collects every problem of a parsed file, each with its JSON path."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def bad(self, where: str, message: str) -> None:
        self.problems.append(Problem(f"{where}: {message}", file=self.source))

    def get(self, obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...],
            where: str, *, optional: bool = False) -> Any:  # fmt: skip
        value = obj.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            self.bad(f"{where}.{key}" if where else key, f"expected {names}, got {value!r:.40}")
            return None
        return value


def _record(r: _Reader, raw: Any, i: int) -> Record | Witness | None:
    where = f"records[{i}]"
    if not isinstance(raw, Mapping):
        r.bad(where, "expected an object")
        return None
    issuer = r.get(raw, "issuer", str, where)
    position = r.get(raw, "position", int, where)
    if "witness" in raw:
        return _witness(r, raw, where, issuer, position)
    token = r.get(raw, "credential", str, where)
    prev = r.get(raw, "prev_hash", str, where, optional=True)
    digest = r.get(raw, "hash", str, where)
    if None in (issuer, position, token, digest):
        return None
    return Record(issuer, position, token, prev, digest)


def _witness(
    r: _Reader, raw: Mapping[str, Any], where: str, issuer: str | None, position: int | None
) -> Witness | None:
    if raw.get("witness") is not True:
        r.bad(f"{where}.witness", f"expected true, got {raw.get('witness')!r:.40}")
    if raw.get("credential") is not None:
        r.bad(f"{where}.credential", "a witness carries no credential")
    prev = r.get(raw, "prev_hash", str, where, optional=True)
    digest = r.get(raw, "hash", str, where)
    if None in (issuer, position, digest) or raw.get("witness") is not True:
        return None
    assert issuer is not None and position is not None
    return Witness(issuer, position, prev, digest)


def _check_witnesses(
    r: _Reader, entries: list[tuple[int, Record | Witness]], issuers: Mapping[str, IssuerEntry]
) -> None:
    """A witness belongs to a `partial` issuer and holds a position no other entry holds."""
    taken: set[tuple[str, int]] = set()
    for i, e in entries:
        if not isinstance(e, Witness):
            continue
        entry = issuers.get(e.issuer)
        if entry is not None and not entry.partial:
            r.bad(f"records[{i}]", f"a witness, but the chain of {e.issuer!r} is not partial")
        if (e.issuer, e.position) in taken:
            r.bad(f"records[{i}].position", f"a second witness at position {e.position}")
        taken.add((e.issuer, e.position))


def _issuers(r: _Reader, raw: Mapping[str, Any]) -> dict[str, IssuerEntry]:
    out = {}
    for issuer_id, entry in raw.items():
        where = f"issuers[{issuer_id!r}]"
        if not isinstance(entry, Mapping):
            r.bad(where, "expected an object")
            continue
        jwks = r.get(entry, "jwks", dict, where)
        if jwks is not None and not isinstance(jwks.get("keys"), list):
            r.bad(f"{where}.jwks", 'expected {"keys": [...]}')
            continue
        name = r.get(entry, "name", str, where, optional=True) or issuer_id
        source = r.get(entry, "source", str, where, optional=True) or "self"
        partial = r.get(entry, "partial", bool, where, optional=True) or False
        if jwks is not None:
            out[str(issuer_id)] = IssuerEntry(name, jwks, source, partial)
    return out


def _parse_v1(r: _Reader, data: Mapping[str, Any]) -> Export:
    subject = r.get(data, "subject", dict, "") or {}
    issuers = _issuers(r, r.get(data, "issuers", dict, "") or {})
    lists = r.get(data, "status_lists", dict, "", optional=True) or {}
    raw_records = r.get(data, "records", list, "") or []
    entries = [(i, rec) for i, raw in enumerate(raw_records) if (rec := _record(r, raw, i))]
    for i, rec in entries:
        if rec.issuer not in issuers:
            r.bad(f"records[{i}].issuer", f"{rec.issuer!r} is not among the file's issuers")
    _check_witnesses(r, entries, issuers)
    records = [e for _, e in entries if isinstance(e, Record)]
    return Export(
        exported_at=str(data.get("exported_at", "")),
        subject={str(k): str(v) for k, v in subject.items()},
        issuers=issuers,
        records=records,
        status_lists=lists,
        witnesses=[e for _, e in entries if isinstance(e, Witness)],
    )


PARSERS: dict[int, Callable[[_Reader, Mapping[str, Any]], Export]] = {1: _parse_v1}


def parse_export(data: Any, source: str = "<ledger>") -> Export:
    """An Export from parsed JSON; InvalidLedger listing every problem found."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise InvalidLedger(f"{source} is not a trackrecord ledger (format {FORMAT!r})")
    version = data.get("version")
    parser = PARSERS.get(version) if isinstance(version, int) else None
    if parser is None:
        known = ", ".join(map(str, PARSERS))
        raise InvalidLedger(f"{source} is ledger version {version!r}; this trackrecord "
                            f"reads version {known} (upgrade trackrecord)")  # fmt: skip
    reader = _Reader(source)
    export = parser(reader, data)
    if reader.problems:
        raise InvalidLedger(
            f"{source} is not a valid ledger", problems=summarize(reader.problems, "problems")
        )
    return export


def loads_export(text: str | bytes, source: str = "<ledger>") -> Export:
    """An Export from JSON text."""
    if len(text) > MAX_BYTES:
        raise InvalidLedger(f"{source} is larger than {MAX_BYTES // 2**20} MiB")
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise InvalidLedger(
            f"{source} is not JSON", problems=[Problem(str(exc), file=source, line=line)]
        ) from None
    return parse_export(data, source)


def read_export(path: Path | str) -> Export:
    """Read and check the structure of an export file (signatures: `verify_export`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidLedger(f"cannot read {path}: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise InvalidLedger(f"{path} is larger than {MAX_BYTES // 2**20} MiB")
    return loads_export(path.read_bytes(), str(path))


def dumps_export(export: Export) -> str:
    return json.dumps(export.to_dict(), indent=1, ensure_ascii=False) + "\n"


def write_export(export: Export, path: Path) -> Path:
    """Write the export atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(dumps_export(export), encoding="utf-8")
    os.replace(tmp, path)
    return path
