"""The Service: one object holding what every use case needs (database, blobs, catalog,
scorer, clock), with one method per use case. The CLI, the notebook API and the web app
each build one and call it; none of them touches the database directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from trackrecord.bundle import Bundle, open_bundle
from trackrecord.bundle.reader import BundleLimits
from trackrecord.errors import NotFound
from trackrecord.leaderboard import BoardCache
from trackrecord.metrics import get_metric
from trackrecord.service import finalize as _finalize
from trackrecord.service import progress as _progress
from trackrecord.service import projects as _projects
from trackrecord.service import reveal as _reveal
from trackrecord.service import submit as _submit
from trackrecord.service.grading import field_place
from trackrecord.service.types import (
    BuildProgress,
    CatalogEntry,
    CatalogSource,
    FieldPlace,
    FinalizePreview,
    FinalizeResult,
    ProjectInfo,
    ProjectReport,
    ScoreLike,
    Scorer,
    StartResult,
    StatusReport,
    SubmissionView,
    SubmitResult,
)
from trackrecord.settings import Settings

if TYPE_CHECKING:
    from trackrecord.ledger import Export
    from trackrecord.ledger.service import Issued
    from trackrecord.mastery import SkillEstimate
    from trackrecord.service.learning import FitReport, NextReport
from trackrecord.store.accounts import ensure_local_user
from trackrecord.store.blobs import BlobStore
from trackrecord.store.db import make_engine, session_scope
from trackrecord.store.migrate import ensure_schema
from trackrecord.store.models import Challenge, utcnow
from trackrecord.workspace import write_workspace


def default_scorer(settings: Settings) -> Scorer:
    """The scoring engine, with the upload limit and the answer-key cache of these settings."""

    def run(bundle: Bundle, path: Path) -> ScoreLike:
        from trackrecord.scoring import score
        from trackrecord.scoring.limits import ScoringLimits

        return score(
            bundle,
            path,
            max_bytes=settings.max_upload_bytes,
            cache_dir=settings.cache_dir,
            limits=ScoringLimits.from_settings(settings),
        )

    return run


class Service:
    """The use cases of trackrecord over one data directory and database.

    Everything is injectable for tests and for the hosted server: `engine` (default: from
    `settings.db_url`), `catalog` (default: the built-in catalog under the data directory),
    `scorer` (default: trackrecord.scoring) and `clock` (default: now, in UTC).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        catalog: CatalogSource | None = None,
        scorer: Scorer | None = None,
        clock: Callable[[], datetime] = utcnow,
        migrate: bool = True,
    ) -> None:
        self.settings = settings
        self._owns_engine = engine is None
        self.engine = engine if engine is not None else make_engine(settings)
        self.catalog: CatalogSource = catalog or _projects.BuiltinCatalog(
            settings.catalog_dir, settings.projects_dir, settings.home / _projects.PROJECTS_STORED
        )
        self.scorer = scorer or default_scorer(settings)
        self.clock = clock
        self.blobs = BlobStore(settings.blobs_dir)
        self.leaderboards = BoardCache()  # exact: keyed by what the boards depend on
        self._bundles: dict[str, Bundle] = {}  # uploaded bundles by blob sha256
        self._local_user: int | None = None
        if migrate:
            ensure_schema(self.engine)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Service:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def session(self, *, write_lock: bool = False) -> Iterator[Session]:
        with session_scope(self.engine, write_lock=write_lock) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads, for hot paths: fewer round trips on PostgreSQL
        (see `session_scope`)."""
        with session_scope(self.engine, read_only=True) as session:
            yield session

    def now(self) -> datetime:
        return self.clock()

    def local_user_id(self) -> int:
        """The personal-mode user (created on first use)."""
        if self._local_user is None:
            with self.session(write_lock=True) as s:
                self._local_user = ensure_local_user(s).id
        return self._local_user

    # Projects ------------------------------------------------------------------------

    def _uploaded_row(self, session: Session, project_id: str) -> Challenge | None:
        row = _projects.find_row(session, project_id)
        return row if row is not None and row.source == "uploaded" else None

    def project(self, project_id: str) -> ProjectInfo:
        """What a project is: from its challenge row when it has one (a host may have set a
        deadline or quotas), else from the catalog."""
        with self.session() as s:
            row = _projects.find_row(s, project_id)
        if row is not None and row.source == "uploaded":
            return _projects.info_from_row(row, self.bundle(project_id).challenge.apply_elsewhere)
        try:
            meta = self.catalog.get_project(project_id)
        except NotFound:
            raise self._not_found(project_id) from None
        if row is not None:
            return _projects.info_from_row(row, meta.apply_elsewhere)
        return _projects.info_from_meta(meta)

    def _catalog_ids(self) -> list[str]:
        return [m.id for m in self.catalog.list_projects()]

    def _not_found(self, project_id: str) -> NotFound:
        """NotFound for an unknown id, suggesting a built-in or hosted id close to it."""
        with self.session() as s:
            hosted = s.scalars(
                select(Challenge.slug).where(
                    Challenge.source == "uploaded", Challenge.archived_at.is_(None)
                )
            ).all()
        return _projects.not_found(project_id, [*self._catalog_ids(), *hosted])

    def bundle(self, project_id: str) -> Bundle:
        """The project's bundle (built-in ones are built on first use); for the scorer only."""
        with self.session() as s:
            row = self._uploaded_row(s, project_id)
        if row is not None:
            return self.bundle_of(row)
        self.project(project_id)  # a clear NotFound before any build starts
        return open_bundle(self.catalog.bundle_path(project_id), cache_dir=self._bundle_cache)

    def bundle_of(self, row: Challenge) -> Bundle:
        """The bundle of a stored challenge row, without a database session: callers that
        hold one must not take a second connection (a pool shared by many threads would
        run dry with every thread holding one and waiting for another)."""
        if not row.bundle_ref.startswith(_projects.BLOB_REF):
            return open_bundle(self.catalog.bundle_path(row.slug), cache_dir=self._bundle_cache)
        sha = row.bundle_ref.removeprefix(_projects.BLOB_REF)
        found = self._bundles.get(sha)
        if found is None:  # a stored bundle never changes: open it once per process
            found = open_bundle(
                self.blobs.get(sha).path, cache_dir=self._bundle_cache, limits=self._bundle_limits
            )
            self._bundles[sha] = found
        return found

    @property
    def _bundle_cache(self) -> Path:
        return self.settings.cache_dir / "bundles"

    @property
    def _bundle_limits(self) -> BundleLimits:
        return BundleLimits.from_settings(self.settings)

    def challenge_row(self, session: Session, project_id: str) -> Challenge:
        """The project's challenge row, created from its bundle the first time."""
        row = _projects.find_row(session, project_id)
        if row is not None:
            if row.source == "builtin":
                _projects.refresh_builtin(row, self.catalog.get_project(project_id))
            return row
        # Not stored yet, so a built-in project: read the catalog, not the database (this
        # runs inside the caller's transaction; a second connection here could starve).
        try:
            meta = self.catalog.get_project(project_id)
        except NotFound:
            raise _projects.not_found(project_id, self._catalog_ids()) from None
        bundle = open_bundle(self.catalog.bundle_path(project_id), cache_dir=self._bundle_cache)
        row = _projects.row_from_bundle(
            bundle,
            source="builtin",
            ref=_projects.CATALOG_REF + project_id,
            sha256=_projects.bundle_digest(bundle.root),
        )
        row.summary = meta.summary
        return _projects.insert_row(session, row)

    def enroll(self, session: Session, user_id: int, challenge: Challenge) -> None:
        """Record that the user started the challenge (once)."""
        _progress.enroll(session, user_id, challenge.id, self.now())

    def add_challenge(
        self,
        path: Path,
        *,
        created_by: int | None = None,
        deadline: datetime | None = None,
        per_day: int | None = None,
        final_picks: int | None = None,
    ) -> ProjectInfo:
        """Store an uploaded bundle (folder or zip) and make it a hosted challenge."""
        bundle, sha = _projects.store_uploaded_bundle(
            path, self.blobs, self.settings.cache_dir / "bundles", self._bundle_limits
        )
        builtin_ids = [m.id for m in self.catalog.list_projects()]
        with self.session(write_lock=True) as s:
            _projects.check_new_slug(s, bundle.challenge.id, builtin_ids)
            row = _projects.hosted_row(
                bundle,
                sha,
                created_by=created_by,
                deadline=deadline,
                per_day=per_day,
                final_picks=final_picks,
            )
            s.add(row)
        return _projects.info_from_row(row, bundle.challenge.apply_elsewhere)

    def build_catalog(
        self, ids: Sequence[str] | None = None, progress: BuildProgress | None = None
    ) -> Mapping[str, Path]:
        """Build (or find cached) built-in bundles; `progress(id, i, n)` after each."""
        return self.catalog.build(ids, progress)

    # Use cases -----------------------------------------------------------------------

    def list_catalog(
        self,
        user_id: int,
        *,
        task: str | None = None,
        skill: str | None = None,
        level: int | None = None,
        origin: _progress.Origin | None = None,
    ) -> list[CatalogEntry]:
        """Every project (the server's own challenges first, then built-in ones unless
        hidden from this learner) with the user's progress, filtered."""
        return _progress.list_catalog(
            self, user_id, task=task, skill=skill, level=level, origin=origin
        )

    def start(self, user_id: int, project_id: str, dest: Path | None = None) -> StartResult:
        """Enroll the user and write a workspace (default: ./<project id>)."""
        _progress.check_listed(self, user_id, project_id)
        with self.session(write_lock=True) as s:
            self.enroll(s, user_id, self.challenge_row(s, project_id))
        bundle = self.bundle(project_id)
        info = self.project(project_id)  # from the row: the bundle's own thresholds
        folder = dest if dest is not None else Path.cwd() / project_id
        written, kept = write_workspace(bundle, folder, info)
        return StartResult(info, folder, tuple(written), tuple(kept))

    def load(self, project_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The public train and test tables of a project."""
        public = self.bundle(project_id).public_dir
        return pd.read_csv(public / "train.csv"), pd.read_csv(public / "test.csv")

    def submit(
        self,
        user_id: int,
        project_id: str,
        path: Path,
        *,
        filename: str | None = None,
        note: str | None = None,
    ) -> SubmitResult:
        """Store, validate, score and record a submission file (see service.submit)."""
        _progress.check_listed(self, user_id, project_id)
        return _submit.submit(self, user_id, project_id, path, filename=filename, note=note)

    def submissions(self, user_id: int, project_id: str) -> list[SubmissionView]:
        return _submit.submissions(self, user_id, project_id)

    def finalize(
        self,
        user_id: int,
        project_id: str,
        picks: Sequence[int] = (),
        *,
        by_number: Sequence[int] = (),
    ) -> FinalizeResult:
        """Choose final picks, reveal the private score and award the medal (once).

        `picks`: submission ids; `by_number`: submission numbers within the project (#n,
        what the CLI and notebook show); neither: selected picks, else the best public."""
        return _finalize.finalize(self, user_id, project_id, picks, by_number=by_number)

    def finalize_preview(
        self,
        user_id: int,
        project_id: str,
        picks: Sequence[int] = (),
        *,
        by_number: Sequence[int] = (),
    ) -> FinalizePreview:
        """What `finalize` with these arguments would judge, changing nothing."""
        return _finalize.preview(self, user_id, project_id, picks, by_number=by_number)

    def results(self, user_id: int, project_id: str) -> FinalizeResult:
        """A finalized project's revealed result (private thresholds, standing on the
        private board, reference code); Conflict before finalizing."""
        return _reveal.results(self, user_id, project_id)

    def project_report(self, user_id: int, project_id: str) -> ProjectReport:
        """One project for one learner: state, submissions, the public estimate, and the
        revealed result once finalized."""
        _progress.check_listed(self, user_id, project_id)
        return _progress.project_report(self, user_id, project_id)

    def select_picks(
        self, user_id: int, project_id: str, picks: Sequence[int]
    ) -> list[SubmissionView]:
        """Select the submissions that count on the private board (until the deadline)."""
        _finalize.select_picks(self, user_id, project_id, picks)
        return self.submissions(user_id, project_id)

    def status(self, user_id: int) -> StatusReport:
        return _progress.status(self, user_id)

    def skills(self, user_id: int) -> list[SkillEstimate]:
        """Per-skill ability with a 90% interval, from the user's graded attempts."""
        from trackrecord.service import learning

        return learning.skills(self, user_id)

    def next_projects(self, user_id: int, k: int = 5) -> NextReport:
        """The projects to do next, each with its reason (`trackrecord next`)."""
        from trackrecord.service import learning

        return learning.next_projects(self, user_id, k)

    def refit_mastery(self) -> FitReport:
        """Refit item difficulties on every learner and store them under HOME."""
        from trackrecord.service import learning

        return learning.refit(self)

    def field_place(self, project_id: str, score: float) -> FieldPlace | None:
        """Where a public score would place among the project's reference models."""
        gib = get_metric(self.project(project_id).metric).greater_is_better
        return field_place(score, self.bundle(project_id).challenge.field, gib)

    # The track record (trackrecord.ledger) -------------------------------------------

    def credential(self, user_id: int, project_id: str, number: int | None = None) -> Issued:
        """The signed credential of the user's finalized result on a project, or (with
        `number`) of their scored submission #number, made on first request."""
        from trackrecord.ledger import service as ledger

        if number is None:
            return ledger.result_credential(self, user_id, project_id)
        return ledger.issue_for_submission(self, user_id, project_id, number)

    def export_ledger(self, user_id: int) -> Export:
        """The user's ledger in the export format (`trackrecord export`)."""
        from trackrecord.ledger import service as ledger

        return ledger.export_ledger(self, user_id)
