"""What a host does: create challenges (from an uploaded bundle or the built-in catalog),
set deadlines and quotas, see every submission, export the results as CSV.

An uploaded bundle is checked in full (zip member paths first, then content) inside a
temporary folder before anything is stored; only a clean bundle reaches the blob store.
Private scores appear in listings and exports only once they are due (see leaderboard).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trackrecord.bundle import open_bundle, pack_bundle
from trackrecord.bundle.check import check_bundle
from trackrecord.bundle.reader import BundleLimits
from trackrecord.classroom import hosted_rows
from trackrecord.errors import Conflict, InvalidBundle, NotFound, PermissionDenied, Problem
from trackrecord.leaderboard import private_due
from trackrecord.service import ProjectInfo, Service
from trackrecord.service import projects as _projects
from trackrecord.service.submit import recorded_problems
from trackrecord.store.models import Challenge, Finalization, FinalPick, Submission, User

CopyProgress = Callable[[str], None]

COPY_SUFFIX = "hosted"  # the default id of a copy: <project>-hosted
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MAX_PER_DAY = 1000
MAX_FINAL_PICKS = 20
MAX_TEAM_SIZE = 50


@dataclass(frozen=True)
class ChallengeSettings:
    """What a host may change; None leaves a value as it is."""

    deadline: datetime | None = None
    clear_deadline: bool = False
    per_day: int | None = None
    final_picks: int | None = None
    team_size: int | None = None  # the most members of a team; 0 or 1: no teams

    def problems(self) -> list[Problem]:
        found = []
        if self.per_day is not None and not 1 <= self.per_day <= MAX_PER_DAY:
            found.append(Problem(f"must be 1 to {MAX_PER_DAY}", column="per_day"))
        if self.final_picks is not None and not 1 <= self.final_picks <= MAX_FINAL_PICKS:
            found.append(Problem(f"must be 1 to {MAX_FINAL_PICKS}", column="final_picks"))
        if self.team_size is not None and not 0 <= self.team_size <= MAX_TEAM_SIZE:
            found.append(Problem(f"must be 0 to {MAX_TEAM_SIZE}", column="team_size"))
        if self.deadline is not None and self.deadline.tzinfo is None:
            found.append(Problem("must carry a time zone (UTC)", column="deadline"))
        return found


@dataclass(frozen=True)
class Actor:
    """Who asks to change or read a hosted challenge: a challenge belongs to the host who
    created it; admins may act on every challenge."""

    user_id: int | None
    admin: bool = False

    def owns(self, row: Challenge) -> bool:
        return self.admin or (row.created_by is not None and row.created_by == self.user_id)


@dataclass(frozen=True)
class HostedChallenge:
    id: str
    title: str
    source: str
    metric: str
    deadline: datetime | None
    per_day: int
    final_picks: int
    learners: int
    submissions: int
    created_at: datetime
    team_size: int = 0


@dataclass(frozen=True)
class SubmissionRecord:
    """One submission as a host sees it; `private_score` is None until it is due."""

    id: int
    username: str
    created_at: datetime
    filename: str
    size_bytes: int
    status: str
    public_score: float | None
    private_score: float | None
    picked: bool
    final: bool
    problems: tuple[str, ...] = ()  # why an invalid file was not scored (its host sees it)


def _check_settings(given: ChallengeSettings) -> None:
    problems = given.problems()
    if problems:
        raise InvalidBundle("the challenge settings are not valid", problems=problems)


def check_upload(path: Path, limits: BundleLimits | None = None) -> None:
    """Check an uploaded bundle zip in a temporary folder; raises InvalidBundle with every
    problem (unsafe member paths are reported before anything is unpacked)."""
    with tempfile.TemporaryDirectory(prefix="trackrecord-check-") as tmp:
        problems = check_bundle(path, cache_dir=Path(tmp), limits=limits)
    if problems:
        raise InvalidBundle(f"{path.name} is not a valid bundle", problems=problems)


def create_from_upload(
    svc: Service, path: Path, *, created_by: int | None, settings: ChallengeSettings
) -> ProjectInfo:
    """A hosted challenge from an uploaded bundle zip, checked before it is stored."""
    _check_settings(settings)
    check_upload(path, BundleLimits.from_settings(svc.settings))
    info = svc.add_challenge(
        path,
        created_by=created_by,
        deadline=settings.deadline,
        per_day=settings.per_day,
        final_picks=settings.final_picks,
    )
    if settings.team_size is not None:
        with svc.session(write_lock=True) as s:
            row = _projects.find_row(s, info.id)
            assert row is not None
            row.team_size = settings.team_size
    return info


def create_from_catalog(
    svc: Service,
    project_id: str,
    *,
    slug: str | None,
    created_by: int | None,
    settings: ChallengeSettings,
    progress: CopyProgress | None = None,
) -> ProjectInfo:
    """Host a built-in project as a fresh copy under `slug` (default `<project>-hosted`).

    Anyone can build a built-in project offline and read its answer key, so a hosted
    challenge never uses that split (DESIGN.md, rule 7): the copy is re-split and re-keyed
    with the server's secret and its medal lines measured again on the new split, which
    takes seconds to a minute or more (`progress(message)` follows it).
    """
    _check_settings(settings)
    new_id = slug if slug and slug != project_id else f"{project_id}-{COPY_SUFFIX}"
    if not SLUG_RE.match(new_id):
        raise InvalidBundle(
            "the new id is not valid",
            problems=[
                Problem(
                    "2 to 64 characters: lowercase letters, digits, '.', '_', '-'",
                    column="slug",
                )
            ],
        )
    return _copy_builtin(svc, project_id, new_id, created_by, settings, progress)


def copy_secret(svc: Service) -> str:
    """The server's secret that keys hosted copies (rekey.py derives its own key from it
    with a label, so it shares nothing usable with the session cookies)."""
    from trackrecord.secret import secret_key

    return secret_key(svc.settings)


def _copy_builtin(
    svc: Service,
    project_id: str,
    slug: str,
    created_by: int | None,
    settings: ChallengeSettings,
    progress: CopyProgress | None,
) -> ProjectInfo:
    meta = svc.catalog.get_project(project_id)  # NotFound before any work
    builtin_ids = [m.id for m in svc.catalog.list_projects()]
    with svc.session() as s:  # a clear Conflict before a minute of measuring
        _projects.check_new_slug(s, slug, builtin_ids)
    with tempfile.TemporaryDirectory(prefix="trackrecord-copy-") as tmp:
        folder = svc.catalog.hosted_copy(
            project_id, Path(tmp) / slug, secret=copy_secret(svc), slug=slug, progress=progress
        )
        packed = pack_bundle(folder, Path(tmp))
        copy = open_bundle(packed, cache_dir=Path(tmp) / "open")
        blob = svc.blobs.put_file(packed)
        with svc.session(write_lock=True) as s:
            _projects.check_new_slug(s, slug, builtin_ids)
            row = _projects.hosted_row(
                copy, blob.sha256, created_by=created_by, deadline=None, per_day=None,
                final_picks=None,
            )  # fmt: skip
            row.slug = slug
            row.title = f"{row.title} ({slug})"  # tell the copy from the original in lists
            row.summary = meta.summary
            _apply(row, settings)
            s.add(row)
    return svc.project(slug)


def _apply(row: Challenge, settings: ChallengeSettings) -> None:
    if settings.clear_deadline:
        row.deadline = None
    elif settings.deadline is not None:
        row.deadline = settings.deadline
    if settings.per_day is not None:
        row.per_day = settings.per_day
    if settings.final_picks is not None:
        row.final_picks = settings.final_picks
    if settings.team_size is not None:
        row.team_size = settings.team_size


def _row(svc: Service, slug: str, actor: Actor) -> Challenge:
    with svc.session() as s:
        row = _projects.find_row(s, slug)
    if row is None or not row.hosted:
        raise NotFound(f"no hosted challenge {slug!r}")
    if not actor.owns(row):
        raise PermissionDenied(f"the challenge {slug!r} belongs to another host")
    return row


def _same_minute(a: datetime, b: datetime) -> bool:
    # Forms send deadlines to the minute: the current one sent back is no change.
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def _final_problems(row: Challenge, settings: ChallengeSettings, now: datetime) -> list[Problem]:
    """What a change may not do once the deadline has passed: the reveal and the frozen
    picks are final, so the deadline cannot move or go, nor the number of picks change."""
    if row.deadline is None or row.deadline > now:
        return []
    passed = f"the deadline passed on {row.deadline:%Y-%m-%d %H:%M} UTC and is final"
    found = []
    if settings.clear_deadline:
        found.append(Problem(passed + ": it cannot be removed", column="deadline"))
    elif settings.deadline is not None and not _same_minute(settings.deadline, row.deadline):
        found.append(Problem(passed + ": it cannot be moved", column="deadline"))
    if settings.final_picks is not None and settings.final_picks != row.final_picks:
        found.append(Problem(passed + ": the final picks are frozen", column="final_picks"))
    if settings.team_size is not None and settings.team_size != row.team_size:
        found.append(Problem(passed + ": the teams are final", column="team_size"))
    return found


def _check_change(s: Session, row: Challenge, settings: ChallengeSettings, now: datetime) -> None:
    final = _final_problems(row, settings, now)
    if final:
        raise Conflict("the challenge's deadline has passed", problems=final)
    if settings.clear_deadline and s.scalar(
        select(func.count(Finalization.id)).where(Finalization.challenge_id == row.id)
    ):
        raise Conflict("learners have finalized already; the deadline can no longer go")


def configure(svc: Service, slug: str, settings: ChallengeSettings, *, actor: Actor) -> ProjectInfo:
    """Change a hosted challenge's deadline and quotas: only its creator or an admin, and
    never a deadline that has passed (it may be set to a past time once, which ends the
    challenge now; from then on it is final)."""
    _check_settings(settings)
    _row(svc, slug, actor)
    with svc.session(write_lock=True) as s:
        row = _projects.find_row(s, slug)
        assert row is not None
        _check_change(s, row, settings, svc.now())
        _apply(row, settings)
    return svc.project(slug)


def hosted_challenges(svc: Service, actor: Actor) -> list[HostedChallenge]:
    """The hosted challenges `actor` owns (an admin: all), with their number of learners
    and scored submissions."""
    with svc.session() as s:
        rows = hosted_rows(s, actor)
        counts: dict[int, int] = {
            cid: int(n)
            for cid, n in s.execute(
                select(Submission.challenge_id, func.count(Submission.id))
                .where(Submission.status == "scored")
                .group_by(Submission.challenge_id)
            )
        }
        learners: dict[int, int] = {
            cid: int(n)
            for cid, n in s.execute(
                select(
                    Submission.challenge_id, func.count(func.distinct(Submission.user_id))
                ).group_by(Submission.challenge_id)
            )
        }
    return [
        HostedChallenge(
            r.slug,
            r.title,
            r.source,
            r.metric,
            r.deadline,
            r.per_day,
            r.final_picks,
            learners.get(r.id, 0),
            counts.get(r.id, 0),
            r.created_at,
            r.team_size,
        )
        for r in rows
    ]


def all_submissions(svc: Service, slug: str, *, actor: Actor) -> list[SubmissionRecord]:
    """Every submission to a hosted challenge (its host's or an admin's), oldest first;
    private scores once due."""
    row = _row(svc, slug, actor)
    due = private_due(row, svc.now())
    with svc.session() as s:
        subs = s.execute(
            select(Submission, User.username)
            .join(User, User.id == Submission.user_id)
            .where(Submission.challenge_id == row.id)
            .order_by(Submission.created_at, Submission.id)
        ).all()
        picked = set(
            s.scalars(
                select(FinalPick.submission_id).where(
                    FinalPick.challenge_id == row.id, FinalPick.withdrawn_at.is_(None)
                )
            )
        )
        final: dict[int, int] = {
            sid: uid
            for sid, uid in s.execute(
                select(Finalization.submission_id, Finalization.user_id).where(
                    Finalization.challenge_id == row.id
                )
            )
        }
    finalized_users = set(final.values())

    def visible(user_id: int) -> bool:
        return due if row.deadline is not None else user_id in finalized_users

    return [
        SubmissionRecord(
            sub.id,
            name,
            sub.created_at,
            sub.original_filename,
            sub.size_bytes,
            sub.status,
            sub.public_score,
            sub.private_score if visible(sub.user_id) else None,
            sub.id in picked,
            sub.id in final,
            recorded_problems(sub.error),
        )
        for sub, name in subs
    ]


EXPORT_COLUMNS = (
    "submission_id",
    "username",
    "created_at",
    "filename",
    "size_bytes",
    "status",
    "public_score",
    "private_score",
    "picked",
    "final",
)


def _cell(value: object) -> object:
    # Spreadsheets run cells that start with these as formulas: neutralize them.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(records: Sequence[SubmissionRecord]) -> str:
    """The submissions as CSV text (one row each; empty private score until due)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for r in records:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    r.id,
                    r.username,
                    r.created_at.isoformat(),
                    r.filename,
                    r.size_bytes,
                    r.status,
                    "" if r.public_score is None else repr(r.public_score),
                    "" if r.private_score is None else repr(r.private_score),
                    int(r.picked),
                    int(r.final),
                )
            ]
        )
    return out.getvalue()
