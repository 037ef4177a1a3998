"""Where projects come from and how they become challenge rows.

Two sources: the built-in catalog (injectable, `BuiltinCatalog` by default) and challenges
stored in the database from uploaded bundles (hosted ones). A built-in project gets its
challenge row lazily, the first time someone starts it or submits to it.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trackrecord.bundle import Bundle, Thresholds, open_bundle, pack_bundle
from trackrecord.bundle.reader import BundleLimits
from trackrecord.errors import Conflict, NotFound
from trackrecord.metrics import get_metric
from trackrecord.service.grading import resolve_thresholds
from trackrecord.service.types import BuildProgress, ProjectInfo, ProjectMetaLike
from trackrecord.store.blobs import BlobStore
from trackrecord.store.models import Challenge

CATALOG_REF = "catalog:"
BLOB_REF = "blob:"
# In the data directory: the numbers measured for a host's project folders (--projects).
PROJECTS_STORED = "projects-stored.json"


class BuiltinCatalog:
    """The built-in catalog package, building bundles under `dest` on demand (cached), with
    a host's project folders from `projects_dir` (their numbers kept in `stored`)."""

    def __init__(
        self, dest: Path, projects_dir: Path | None = None, stored: Path | None = None
    ) -> None:
        self.dest = dest
        if projects_dir is not None:
            from trackrecord.catalog.registry import add_projects_dir

            add_projects_dir(projects_dir, stored=stored)

    def list_projects(self) -> Sequence[ProjectMetaLike]:
        from trackrecord import catalog

        return list(catalog.list_projects())

    def get_project(self, project_id: str) -> ProjectMetaLike:
        from trackrecord import catalog

        project: ProjectMetaLike = catalog.get_project(project_id)
        return project

    def bundle_path(self, project_id: str) -> Path:
        from trackrecord import catalog

        return Path(catalog.bundle_path(self.dest, project_id))

    def build(
        self, ids: Sequence[str] | None = None, progress: BuildProgress | None = None
    ) -> Mapping[str, Path]:
        from trackrecord import catalog

        return dict(catalog.build_catalog(self.dest, ids, progress=progress))

    def hosted_copy(
        self,
        project_id: str,
        dest: Path,
        *,
        secret: str,
        slug: str,
        progress: Callable[[str], None] | None = None,
    ) -> Path:
        from trackrecord.catalog.registry import get_recipe
        from trackrecord.catalog.rekey import build_hosted_copy

        copy = build_hosted_copy(get_recipe(project_id), dest, secret, slug, progress=progress)
        return copy.bundle.root


def info_from_meta(meta: ProjectMetaLike) -> ProjectInfo:
    gib = get_metric(meta.metric).greater_is_better
    return ProjectInfo(
        id=meta.id,
        title=meta.title,
        task=meta.task,
        metric=meta.metric,
        level=meta.level,
        skills=tuple(meta.skills),
        summary=meta.summary,
        source="builtin",
        apply_elsewhere=tuple(meta.apply_elsewhere),
        thresholds=resolve_thresholds(meta.thresholds, meta.gold_margin, gib),
        public_thresholds=resolve_thresholds(meta.public_thresholds, meta.gold_margin, gib),
        score_se=meta.score_se,
    )


def info_from_row(row: Challenge, apply_elsewhere: Sequence[str] = ()) -> ProjectInfo:
    return ProjectInfo(
        id=row.slug,
        title=row.title,
        task=row.task,
        metric=row.metric,
        level=row.difficulty,
        skills=tuple(row.skills),
        summary=row.summary,
        source="builtin" if row.source == "builtin" else "uploaded",
        apply_elsewhere=tuple(apply_elsewhere),
        thresholds=Thresholds(row.baseline, row.reference, row.gold),
        deadline=row.deadline,
        public_thresholds=Thresholds(row.public_baseline, row.public_reference, row.public_gold),
        score_se=row.score_se,
    )


def as_seen_by(info: ProjectInfo, finalized: bool) -> ProjectInfo:
    """A project as a learner may see it: the private medal lines only once they finalized
    it (DESIGN.md, rule 6); before that, the public lines are the ones to compare with."""
    return info if finalized else dataclasses.replace(info, thresholds=Thresholds())


def refresh_builtin(row: Challenge, meta: ProjectMetaLike) -> None:
    """Keep a built-in project's medal lines those of the installed catalog: a row made by
    an older release (before public thresholds, or with other numbers) is brought up to
    date. Finalizations keep the medal they were awarded."""
    info = info_from_meta(meta)
    th, pub = info.thresholds, info.public_thresholds
    wanted = {
        "baseline": th.baseline,
        "reference": th.reference,
        "gold": th.gold,
        "public_baseline": pub.baseline,
        "public_reference": pub.reference,
        "public_gold": pub.gold,
        "score_se": info.score_se,
    }
    for name, value in wanted.items():
        if getattr(row, name) != value:  # assign only changes: read-only sessions stay clean
            setattr(row, name, value)


def bundle_digest(root: Path) -> str:
    """A sha256 over every file of a bundle folder (relative names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def summary_of(description: str) -> str:
    """The first paragraph of a brief that is not a heading."""
    for block in description.split("\n\n"):
        text = " ".join(line.strip() for line in block.strip().splitlines())
        if text and not text.startswith("#"):
            return text
    return ""


def row_from_bundle(bundle: Bundle, *, source: str, ref: str, sha256: str) -> Challenge:
    ch = bundle.challenge
    gib = get_metric(ch.metric).greater_is_better
    th = resolve_thresholds(ch.thresholds, ch.gold_margin, gib)
    pub = resolve_thresholds(ch.public_thresholds, ch.gold_margin, gib)
    return Challenge(
        slug=ch.id,
        source=source,
        bundle_ref=ref,
        bundle_sha256=sha256,
        title=ch.title,
        task=ch.task,
        metric=ch.metric,
        greater_is_better=gib,
        difficulty=ch.difficulty,
        skills=list(ch.skills),
        summary=summary_of(bundle.description),
        baseline=th.baseline,
        reference=th.reference,
        gold=th.gold,
        public_baseline=pub.baseline,
        public_reference=pub.reference,
        public_gold=pub.gold,
        score_se=ch.score_se,
        per_day=ch.limits.per_day,
        final_picks=ch.limits.final_picks,
        hosted=False,
        deadline=ch.deadline,
    )


def find_row(session: Session, slug: str) -> Challenge | None:
    return session.scalars(select(Challenge).where(Challenge.slug == slug)).first()


def insert_row(session: Session, row: Challenge) -> Challenge:
    """Insert a challenge row; if another process inserted the same slug first, use theirs."""
    try:
        with session.begin_nested():
            session.add(row)
        return row
    except IntegrityError:
        existing = find_row(session, row.slug)
        if existing is None:
            raise
        return existing


def store_uploaded_bundle(
    path: Path, blobs: BlobStore, cache_dir: Path, limits: BundleLimits | None = None
) -> tuple[Bundle, str]:
    """Keep an uploaded bundle (folder or zip) as a zip blob; returns it opened, and its sha."""
    source = open_bundle(path, cache_dir=cache_dir, limits=limits)
    if path.is_file():
        blob = blobs.put_file(path)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            blob = blobs.put_file(pack_bundle(source.root, Path(tmp)))
    return open_bundle(blob.path, cache_dir=cache_dir, limits=limits), blob.sha256


def hosted_row(
    bundle: Bundle,
    sha256: str,
    *,
    created_by: int | None,
    deadline: datetime | None,
    per_day: int | None,
    final_picks: int | None,
) -> Challenge:
    row = row_from_bundle(bundle, source="uploaded", ref=BLOB_REF + sha256, sha256=sha256)
    row.hosted = True
    row.created_by = created_by
    row.deadline = deadline or row.deadline
    row.per_day = per_day or row.per_day
    row.final_picks = final_picks or row.final_picks
    return row


def check_new_slug(session: Session, slug: str, builtin_ids: Sequence[str]) -> None:
    if slug in builtin_ids or find_row(session, slug) is not None:
        raise Conflict(f"a project with id {slug!r} already exists; give the bundle another id")


def not_found(project_id: str, known: Iterable[str] = ()) -> NotFound:
    """No such project, with the closest known id when one is close (a typo)."""
    close = difflib.get_close_matches(project_id, list(known), n=1, cutoff=0.75)
    if close:
        return NotFound(f"no project {project_id!r}; did you mean {close[0]!r}?")
    return NotFound(f"no project {project_id!r}; run `trackrecord catalog` to see the project ids")
