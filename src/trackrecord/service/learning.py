"""The mastery model on the learners' graded attempts: skills, the next project, refitting.

Evidence: every scored submission is an attempt whose outcome is its public score
normalized between the project's baseline (0) and reference (1); a finalization adds one
more attempt with the private score. Projects without both thresholds inform nothing.
Item difficulties fitted on every learner of this database (`trackrecord mastery fit`) are
stored in HOME/mastery.json; without that file, difficulties come from the catalog levels.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
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


def _outcome(row: Challenge, score: float | None) -> float | None:
    if score is None or row.baseline is None or row.reference is None:
        return None
    try:
        return normalized_outcome(score, row.baseline, row.reference, row.greater_is_better)
    except ValueError:
        return None  # thresholds in the wrong order: no evidence rather than wrong evidence


def graded_attempts(svc: Service, user_id: int | None = None) -> list[Attempt]:
    """Attempts in time order, of one user or (None) of every user."""
    attempts: list[Attempt] = []
    with svc.session() as s:
        subs = select(Submission, Challenge).join(Challenge).where(Submission.status == "scored")
        fins = select(Finalization, Challenge).join(Challenge)
        if user_id is not None:
            subs = subs.where(Submission.user_id == user_id)
            fins = fins.where(Finalization.user_id == user_id)
        for sub, ch in s.execute(subs):
            outcome = _outcome(ch, sub.public_score)
            if outcome is not None:
                attempts.append(Attempt(str(sub.user_id), ch.slug, sub.created_at, outcome))
        for fin, ch in s.execute(fins):
            outcome = _outcome(ch, fin.private_score)
            if outcome is not None:
                attempts.append(Attempt(str(fin.user_id), ch.slug, fin.created_at, outcome))
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
    recs = recommend(model, learner, projects, done, finished, now=now, k=k)
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
