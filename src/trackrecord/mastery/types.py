"""Plain data of the mastery model: items, attempts, estimates, projects, recommendations."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ItemInfo:
    """One gradable item (a project, or a question in a benchmark data set).

    ``skills`` are the skills the item exercises (several are allowed; the model is
    compensatory and weighs them equally). ``level`` is the catalog level 1-5; it seeds the
    item's difficulty before any learner has tried it (None: no prior knowledge).
    """

    item_id: str
    skills: tuple[str, ...]
    level: int | None = None


@dataclass(frozen=True)
class Attempt:
    """One graded attempt: ``outcome`` in [0, 1], binary (correct) or continuous.

    ``time`` is a datetime or seconds since the epoch; the model only uses differences.
    """

    learner: str
    item: str
    time: datetime | float
    outcome: float


@dataclass(frozen=True)
class SkillEstimate:
    """A learner's ability in one skill, on the probability scale.

    ``mean`` is the chance of success on an item of average difficulty that exercises only
    this skill; ``low``/``high`` bound a 90% interval that widens while the skill is not
    practiced. ``last_seen`` is the time of the last attempt (seconds since the epoch).
    """

    skill: str
    mean: float
    low: float
    high: float
    n_attempts: int
    last_seen: float | None

    @property
    def half_width(self) -> float:
        """Half the interval width, for "0.42 ± 0.20" displays."""
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class ProjectInfo:
    """A project as the recommender sees it (from the catalog)."""

    id: str
    title: str
    skills: tuple[str, ...]
    level: int
    apply_elsewhere: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """One recommended project, with the chance of silver and a human reason.

    ``kinds`` names the rules that picked it: ``apply_elsewhere``, ``right_difficulty``,
    ``uncertain_skill``, ``prerequisites_met``.
    """

    project_id: str
    p_silver: float
    reason: str
    kinds: tuple[str, ...]


def normalized_outcome(
    score: float, baseline: float, reference: float, greater_is_better: bool
) -> float:
    """Map a raw score to [0, 1]: 0 at the baseline, 1 at the reference, capped.

    Works for both metric directions; a NaN score (failed submission) counts as 0.
    """
    if math.isnan(score):
        return 0.0
    span = reference - baseline
    if span == 0:
        beats = score >= reference if greater_is_better else score <= reference
        return 1.0 if beats else 0.0
    if (span > 0) != greater_is_better:
        raise ValueError(
            f"reference {reference} does not improve on baseline {baseline} "
            f"for a metric where {'greater' if greater_is_better else 'smaller'} is better"
        )
    return min(1.0, max(0.0, (score - baseline) / span))


def as_seconds(time: datetime | float) -> float:
    """Seconds since the epoch for a datetime (naive means UTC) or a number."""
    if isinstance(time, datetime):
        if time.tzinfo is None:
            return (time - datetime(1970, 1, 1)).total_seconds()
        return time.timestamp()
    return float(time)
