"""Next-project recommendations from a learner's mastery estimates.

Rules (each recommendation says which fired in ``kinds``):

- ``apply_elsewhere``: a sibling of the project just finished (either side of the link).
- ``right_difficulty``: the predicted chance of silver is in [0.5, 0.7].
- ``uncertain_skill``: the project exercises one of the learner's two most uncertain skills.
- ``prerequisites_met``: a project above level 1 whose prerequisites on the learning path
  the learner has met (``trackrecord.catalog.path``), a step up the path.

Only projects in ``recommended`` (the path's recommended set: prerequisites met, not done)
are candidates, siblings included; without it, every project is. Projects already at silver
(outcome >= 1) are not recommended again. Picks go in order: the best sibling, the best
right-difficulty project, the best uncertain-skill project, then the rest by a score adding
up the rules.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from trackrecord.mastery.model import MasteryModel
from trackrecord.mastery.types import ItemInfo, ProjectInfo, Recommendation, SkillEstimate

SILVER = 1.0
TARGET_LOW, TARGET_HIGH = 0.5, 0.7


@dataclass
class _Candidate:
    project: ProjectInfo
    p_silver: float
    skill: SkillEstimate | None
    kinds: list[str]

    @property
    def score(self) -> float:
        s = 3.0 * ("apply_elsewhere" in self.kinds) + 1.5 * ("right_difficulty" in self.kinds)
        s += 1.0 * ("uncertain_skill" in self.kinds) + 0.5 * ("prerequisites_met" in self.kinds)
        s -= abs(self.p_silver - (TARGET_LOW + TARGET_HIGH) / 2)
        return s + (self.skill.half_width if self.skill else 0.0)


def recommend(
    model: MasteryModel,
    learner: str,
    projects: Sequence[ProjectInfo],
    done: Mapping[str, float],
    just_finished: str | None = None,
    now: datetime | float | None = None,
    k: int = 5,
    recommended: Collection[str] | None = None,
) -> list[Recommendation]:
    """Up to ``k`` next projects for ``learner``, each with its chance of silver and reason.

    ``done`` maps project id to the learner's best normalized outcome. ``recommended`` is
    the set of projects the learning path recommends (None: every project). Projects the
    model does not know yet are added to it as items seeded from their catalog level.
    """
    for p in projects:
        if p.id not in model.items:
            model.items[p.id] = ItemInfo(p.id, p.skills, p.level)
    siblings = _siblings(projects, just_finished)
    candidates = [
        _candidate(model, learner, p, siblings, now, recommended is not None)
        for p in projects
        if done.get(p.id, 0.0) < SILVER
        and p.id != just_finished
        and (recommended is None or p.id in recommended)
    ]
    _mark_uncertain(candidates)
    picks = _pick(candidates, k)
    return [_recommendation(c, just_finished) for c in picks]


def _siblings(projects: Sequence[ProjectInfo], just_finished: str | None) -> set[str]:
    if just_finished is None:
        return set()
    out = {p.id for p in projects if just_finished in p.apply_elsewhere}
    for p in projects:
        if p.id == just_finished:
            out.update(p.apply_elsewhere)
    out.discard(just_finished)
    return out


def _candidate(
    model: MasteryModel,
    learner: str,
    project: ProjectInfo,
    siblings: set[str],
    now: datetime | float | None,
    on_path: bool,
) -> _Candidate:
    p = model.p_success(learner, project.id, now=now)
    estimates = [model.skill_estimate(learner, s, now) for s in project.skills]
    skill = max(estimates, key=lambda e: e.half_width, default=None)
    kinds = []
    if project.id in siblings:
        kinds.append("apply_elsewhere")
    if TARGET_LOW <= p <= TARGET_HIGH:
        kinds.append("right_difficulty")
    if on_path and project.level > 1:
        kinds.append("prerequisites_met")
    return _Candidate(project, p, skill, kinds)


def _mark_uncertain(candidates: list[_Candidate]) -> None:
    widths = sorted(
        {(c.skill.half_width, c.skill.skill) for c in candidates if c.skill}, reverse=True
    )
    top = {name for _, name in widths[:2]}
    for c in candidates:
        if c.skill and c.skill.skill in top:
            c.kinds.append("uncertain_skill")


def _pick(candidates: list[_Candidate], k: int) -> list[_Candidate]:
    ranked = sorted(candidates, key=lambda c: (-c.score, c.project.id))
    picks: list[_Candidate] = []
    for kind in ("apply_elsewhere", "right_difficulty", "uncertain_skill"):
        best = next((c for c in ranked if kind in c.kinds and c not in picks), None)
        if best is not None and len(picks) < k:
            picks.append(best)
    picks.extend(c for c in ranked if c not in picks)
    return picks[:k]


def _recommendation(c: _Candidate, just_finished: str | None) -> Recommendation:
    parts = []
    if c.skill is not None:
        parts.append(f"{c.skill.skill}: {c.skill.mean:.2f} ± {c.skill.half_width:.2f}")
    parts.append(f"{round(100 * c.p_silver)}% chance of silver")
    if "apply_elsewhere" in c.kinds:
        parts.append(f"apply elsewhere for {just_finished}")
    return Recommendation(c.project.id, c.p_silver, "; ".join(parts), tuple(c.kinds))
