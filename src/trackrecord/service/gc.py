"""Garbage collection of the file store (`trackrecord admin gc`).

Three kinds of files go:
- **expired invalid files**: the file of an invalid submission older than
  `invalid_retention_days` (its row and reasons stay; the history says the file is gone);
- **unreferenced** blobs: named by no submission and no challenge (left by a crash between
  storing a file and recording it, or by an upload refused under the lock);
- **half-written** temporary files in `blobs/tmp/` (an interrupted upload or removal).

Never removed: a blob that a scored (or pending) submission, an invalid submission still
within its retention, or a challenge's bundle names, and any file younger than
`gc_grace_minutes`. The database is read first and the files are listed after, so a file
stored after that read is young; storing bytes that are already stored touches the blob, so
a file an upload in flight is about to use is young as well (see trackrecord.store.blobs).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from trackrecord.service.projects import BLOB_REF
from trackrecord.service.submit import INVALID
from trackrecord.store.models import Challenge, Submission

if TYPE_CHECKING:
    from trackrecord.service.core import Service

EXPIRED = "expired invalid file"
UNREFERENCED = "unreferenced"
HALF_WRITTEN = "half-written"
KINDS = (EXPIRED, UNREFERENCED, HALF_WRITTEN)


@dataclass(frozen=True)
class Freed:
    """One file removed (or, in a dry run, that would be)."""

    kind: str  # one of KINDS
    name: str  # the sha256 of a blob, or the temporary file's name
    size_bytes: int


@dataclass(frozen=True)
class GcReport:
    """What a collection removed (`dry_run`: would remove), and what it kept on purpose."""

    dry_run: bool
    removed: tuple[Freed, ...]
    kept_young: int  # unreferenced or expired files left alone: younger than the grace
    grace_minutes: int
    retention_days: int
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> files, bytes

    @property
    def freed_bytes(self) -> int:
        return sum(f.size_bytes for f in self.removed)


@dataclass(frozen=True)
class References:
    """The database's view of the blobs, read before any file is listed."""

    keep: frozenset[str]  # named by something that must keep its file
    expired: frozenset[str]  # named only by invalid submissions past their retention


def references(session: Session, svc: Service) -> References:
    """Which blobs the database still needs, and which only expired invalid files name."""
    cutoff = svc.now() - timedelta(days=svc.settings.invalid_retention_days)
    keep: set[str] = set()
    expired: set[str] = set()
    rows = session.execute(select(Submission.file_sha256, Submission.status, Submission.created_at))
    for sha, status, created in rows:
        if status == INVALID and created < cutoff:
            expired.add(sha)
        else:
            keep.add(sha)
    for sha, ref in session.execute(select(Challenge.bundle_sha256, Challenge.bundle_ref)):
        keep.add(sha)
        if ref.startswith(BLOB_REF):
            keep.add(ref.removeprefix(BLOB_REF))
    return References(frozenset(keep), frozenset(expired - keep))


def collect(svc: Service, *, dry_run: bool = False) -> GcReport:
    """Remove expired invalid files, unreferenced blobs and half-written temporary files
    older than the grace period; `dry_run` only reports what would go."""
    grace = svc.settings.gc_grace_minutes
    older_than = time.time() - grace * 60  # file times are the machine's clock
    with svc.session() as s:
        refs = references(s, svc)
    removed: list[Freed] = []
    young = 0
    for blob in svc.blobs.stored():
        if blob.sha256 in refs.keep:
            continue
        kind = EXPIRED if blob.sha256 in refs.expired else UNREFERENCED
        if dry_run:
            freed = blob.size if svc.blobs.is_stale(blob.sha256, older_than=older_than) else None
        else:
            freed = svc.blobs.remove_if_stale(blob.sha256, older_than=older_than)
        if freed is None:
            young += 1
        else:
            removed.append(Freed(kind, blob.sha256, freed))
    for path, size in svc.blobs.temporaries(older_than=older_than):
        if not dry_run:
            svc.blobs.remove_temporary(path)
        removed.append(Freed(HALF_WRITTEN, path.name, size))
    return GcReport(
        dry_run=dry_run,
        removed=tuple(removed),
        kept_young=young,
        grace_minutes=grace,
        retention_days=svc.settings.invalid_retention_days,
        totals=totals(removed),
    )


def totals(removed: Iterable[Freed]) -> dict[str, dict[str, int]]:
    """Files and bytes per kind, every kind present (zeros included)."""
    out = {kind: {"files": 0, "bytes": 0} for kind in KINDS}
    for f in removed:
        out[f.kind]["files"] += 1
        out[f.kind]["bytes"] += f.size_bytes
    return out
