"""The mastery model on the learners' graded attempts: skills, the next project, refitting.

Evidence: ONE attempt per learner and project, whose outcome is a score normalized between
the baseline (0) and the reference (1) of the same split. Once the learner finalized the
project, the finalized private score against the private thresholds; before that, the best
public score of their judged submissions against the public thresholds (never against the
private ones: rule 6 of DESIGN.md). Resubmitting a file (same sha256) or sending many
similar ones therefore never adds evidence, and practice submissions (after finalizing)
never count. Projects without both lines on the split inform nothing.
Item difficulties fitted on every learner of this database (`trackrecord mastery fit`) are
stored in HOME/mastery.json; without that file, difficulties come from the catalog levels.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from trackrecord.errors import ConfigError
from trackrecord.mastery import (
    Attempt,
    ItemInfo,
    MasteryModel,
    ProjectInfo,
    Recommendation,
    SkillEstimate,
    normalized_outcome,
    recommend,
)
from trackrecord.mastery.types import as_seconds
from trackrecord.store.models import Challenge, Finalization, Submission

if TYPE_CHECKING:
    from trackrecord.service.core import Service

MODEL_FILE = "mastery.json"


@dataclass(frozen=True)
class NextReport:
    recommendations: tuple[Recommendation, ...]
    skills: tuple[SkillEstimate, ...]
    just_finished: str | None


@dataclass(frozen=True)
class FitReport:
    path: Path
    learners: int
    attempts: int
    items: int


def _outcome(
    score: float | None, baseline: float | None, reference: float | None, gib: bool
) -> float | None:
    if score is None or baseline is None or reference is None:
        return None
    try:
        return normalized_outcome(score, baseline, reference, gib)
    except ValueError:
        return None  # thresholds in the wrong order: no evidence rather than wrong evidence


@dataclass(frozen=True)
class Scored:
    """One judged (non-practice) scored submission, as the evidence rule reads it."""

    sha256: str
    public: float
    time: datetime


def project_evidence(
    learner: str,
    row: Challenge,
    scored: Iterable[Scored],
    finalization: Finalization | None,
) -> Attempt | None:
    """The one attempt a learner's work on a project is worth (None: no evidence).

    Finalized: the private score against the private thresholds. Otherwise the best public
    score against the public thresholds (the earliest submission that reached it; a file
    sent again, same sha256, is the same file and is read once)."""
    gib = row.greater_is_better
    if finalization is not None:
        outcome = _outcome(finalization.private_score, row.baseline, row.reference, gib)
        if outcome is None:
            return None
        return Attempt(learner, row.slug, finalization.created_at, outcome)
    first: dict[str, Scored] = {}
    for sub in sorted(scored, key=lambda x: as_seconds(x.time)):
        first.setdefault(sub.sha256, sub)
    if not first:
        return None
    sign = -1.0 if gib else 1.0
    best = min(first.values(), key=lambda x: (sign * x.public, as_seconds(x.time)))
    outcome = _outcome(best.public, row.public_baseline, row.public_reference, gib)
    return None if outcome is None else Attempt(learner, row.slug, best.time, outcome)


def graded_attempts(svc: Service, user_id: int | None = None) -> list[Attempt]:
    """Attempts in time order (one per learner and project), of one user or (None) all."""
    subs = (
        select(Submission.user_id, Submission.challenge_id, Submission.file_sha256,
               Submission.public_score, Submission.created_at)
        .where(Submission.status == "scored", Submission.practice.is_(False))
    )  # fmt: skip
    fins = select(Finalization)
    if user_id is not None:
        subs = subs.where(Submission.user_id == user_id)
        fins = fins.where(Finalization.user_id == user_id)
    scored: dict[tuple[int, int], list[Scored]] = {}
    with svc.session() as s:
        challenges = {c.id: c for c in s.scalars(select(Challenge))}
        done = {(f.user_id, f.challenge_id): f for f in s.scalars(fins)}
        for uid, cid, sha, public, at in s.execute(subs):
            if public is not None:
                scored.setdefault((uid, cid), []).append(Scored(sha, float(public), at))
    attempts: list[Attempt] = []
    for key in sorted(set(scored) | set(done)):
        found = project_evidence(
            str(key[0]), challenges[key[1]], scored.get(key, []), done.get(key)
        )
        if found is not None:
            attempts.append(found)
    return sorted(attempts, key=lambda a: as_seconds(a.time))


def _projects(svc: Service, user_id: int) -> list[ProjectInfo]:
    return [
        ProjectInfo(
            e.project.id,
            e.project.title,
            e.project.skills,
            e.project.level,
            e.project.apply_elsewhere,
        )
        for e in svc.list_catalog(user_id)
    ]


def _model(svc: Service, projects: Sequence[ProjectInfo]) -> MasteryModel:
    items = {p.id: ItemInfo(p.id, p.skills, p.level) for p in projects}
    path = svc.settings.home / MODEL_FILE
    if not path.is_file():
        return MasteryModel(items)
    try:
        model = MasteryModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path} is not a valid mastery model ({exc}); run "
            "`trackrecord mastery fit` to write it again"
        ) from None
    for item_id, info in items.items():
        model.items.setdefault(item_id, info)
    return model


def learner_model(svc: Service, user_id: int) -> tuple[MasteryModel, list[ProjectInfo]]:
    projects = _projects(svc, user_id)
    model = _model(svc, projects)
    for attempt in graded_attempts(svc, user_id):
        model.update(attempt)
    return model, projects


def skills(svc: Service, user_id: int) -> list[SkillEstimate]:
    """The learner's per-skill estimates with 90% intervals (practiced skills only)."""
    model, _ = learner_model(svc, user_id)
    return [e for e in model.skills(str(user_id), svc.now()) if e.n_attempts > 0]


def _just_finished(svc: Service, user_id: int) -> str | None:
    with svc.session() as s:
        row = s.execute(
            select(Challenge.slug)
            .join(Finalization)
            .where(Finalization.user_id == user_id)
            .order_by(Finalization.created_at.desc())
            .limit(1)
        ).scalar_one_or_none()
    return row


def next_projects(svc: Service, user_id: int, k: int = 5) -> NextReport:
    """Up to k projects to do next, each with its reason; and the skills behind them."""
    model, projects = learner_model(svc, user_id)
    learner, now = str(user_id), svc.now()
    done: dict[str, float] = {}
    for attempt in graded_attempts(svc, user_id):
        done[attempt.item] = max(done.get(attempt.item, 0.0), attempt.outcome)
    finished = _just_finished(svc, user_id)
    from trackrecord.service.path import recommended_ids  # the learning path's set

    path = recommended_ids(svc, user_id)
    recs = recommend(model, learner, projects, done, finished, now=now, k=k, recommended=path)
    estimates = [e for e in model.skills(learner, now) if e.n_attempts > 0]
    return NextReport(tuple(recs), tuple(estimates), finished)


def refit(svc: Service) -> FitReport:
    """Fit item difficulties and the population model on every learner; store them."""
    projects = _projects(svc, svc.local_user_id())
    attempts = graded_attempts(svc)
    model = MasteryModel({p.id: ItemInfo(p.id, p.skills, p.level) for p in projects})
    if attempts:
        model.fit(attempts)
    path = svc.settings.home / MODEL_FILE
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".mastery-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(model.to_dict(learners=False), fh)
    os.replace(tmp, path)
    learners = len({a.learner for a in attempts})
    return FitReport(path, learners, len(attempts), len(model.items))
