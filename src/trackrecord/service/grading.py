"""Medals and the field: pure functions of scores, thresholds and the metric's direction.

Thresholds are scores on the private split. Bronze beats the baseline, silver reaches the
reference, gold beats the gold threshold (the reference moved by the project's margin in
the metric's better direction).
"""

from __future__ import annotations

from collections.abc import Sequence

from trackrecord.bundle import FieldEntry, Thresholds
from trackrecord.service.types import MEDAL_ORDER, FieldPlace, Medal, MedalProgress, Split


def better(a: float, b: float, greater_is_better: bool) -> bool:
    """True when score `a` is strictly better than `b`."""
    return a > b if greater_is_better else a < b


def resolve_thresholds(
    thresholds: Thresholds, gold_margin: float | None, greater_is_better: bool
) -> Thresholds:
    """Fill in the gold threshold from the reference and the margin when it is not given."""
    if thresholds.gold is not None or thresholds.reference is None or gold_margin is None:
        return thresholds
    step = gold_margin if greater_is_better else -gold_margin
    return Thresholds(thresholds.baseline, thresholds.reference, thresholds.reference + step)


def _reached(medal: Medal, score: float, th: Thresholds, gib: bool) -> bool:
    if medal == "bronze":
        return th.baseline is not None and better(score, th.baseline, gib)
    if medal == "silver":
        return th.reference is not None and not better(th.reference, score, gib)
    return th.gold is not None and better(score, th.gold, gib)


def _target(medal: Medal, th: Thresholds) -> float | None:
    return {"bronze": th.baseline, "silver": th.reference, "gold": th.gold}[medal]


def medal_for(score: float, thresholds: Thresholds, greater_is_better: bool) -> Medal | None:
    """The highest medal a (private) score earns, or None."""
    for medal in reversed(MEDAL_ORDER):
        if _reached(medal, score, thresholds, greater_is_better):
            return medal
    return None


def medal_progress(
    score: float, thresholds: Thresholds, greater_is_better: bool, split: Split = "public"
) -> MedalProgress:
    """The medal `score` would earn and the next medal's target, if any. `thresholds` must
    be the lines of `split`, the split `score` was measured on."""
    medal = medal_for(score, thresholds, greater_is_better)
    start = 0 if medal is None else MEDAL_ORDER.index(medal) + 1
    upcoming = [m for m in MEDAL_ORDER[start:] if _target(m, thresholds) is not None]
    nxt = upcoming[0] if upcoming else None
    return MedalProgress(
        medal=medal,
        next_medal=nxt,
        next_target=_target(nxt, thresholds) if nxt else None,
        baseline=thresholds.baseline,
        reference=thresholds.reference,
        gold=thresholds.gold,
        split=split,
    )


def field_place(
    score: float, field: Sequence[FieldEntry], greater_is_better: bool, split: Split = "public"
) -> FieldPlace | None:
    """Where a score of `split` would place among the field's scores on that split (None:
    no field)."""
    if not field:
        return None
    scores = [(e.name, e.public if split == "public" else e.private) for e in field]
    ordered = sorted(scores, key=lambda e: e[1], reverse=greater_is_better)
    behind = tuple(name for name, value in ordered if better(value, score, greater_is_better))
    ahead_of = tuple(name for name, value in ordered if better(score, value, greater_is_better))
    return FieldPlace(len(behind) + 1, len(field) + 1, ahead_of, behind, split)


def best_of(scores: Sequence[float], greater_is_better: bool) -> float | None:
    if not scores:
        return None
    return max(scores) if greater_is_better else min(scores)
