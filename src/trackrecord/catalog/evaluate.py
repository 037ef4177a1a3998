"""Score a project's pipelines on its split and derive the medal thresholds.

Pipelines read the public files exactly as a learner gets them (CSV round trip), and their
submissions are scored as an uploaded file would be.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from threadpoolctl import threadpool_limits

from trackrecord.bundle import Bundle, FieldEntry, Thresholds
from trackrecord.catalog.model import Contender, Project, Recipe
from trackrecord.metrics import get_metric
from trackrecord.scoring import score_frame


class RecipeError(Exception):
    """A recipe is wrong (a developer error, not a user's): bad ordering, invalid output."""


@dataclass(frozen=True)
class Evaluation:
    baseline: FieldEntry
    reference: FieldEntry
    field: tuple[FieldEntry, ...]  # baseline and reference first, then the standard pipelines


def read_public(bundle: Bundle) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = bundle.public_dir
    return tuple(
        pd.read_csv(folder / f) for f in ("train.csv", "test.csv", "sample_submission.csv")
    )  # type: ignore[return-value]


def score_submission(bundle: Bundle, submission: pd.DataFrame) -> tuple[float, float]:
    """(public, private), validated and scored exactly as an uploaded file would be."""
    result = score_frame(bundle, submission, name=f"{bundle.challenge.id} submission")
    return result.public, result.private


def _run(contender: Contender, bundle: Bundle, project: Project) -> FieldEntry:
    train, test, sample = read_public(bundle)
    submission = contender.predict(train, test, project.spec)
    if list(submission.columns) != list(sample.columns) or len(submission) != len(sample):
        raise RecipeError(
            f"{bundle.challenge.id}: {contender.name!r} wrote columns {list(submission.columns)}"
            f" x {len(submission)} rows; expected {list(sample.columns)} x {len(sample)}"
        )
    public, private = score_submission(bundle, submission)
    return FieldEntry(contender.name, public, private)


def evaluate(project: Project, bundle: Bundle) -> Evaluation:
    """Fit and score the baseline, the reference and the field on the bundle's split.

    One thread for OpenMP and BLAS: on a busy machine more threads are far slower, and a
    single thread keeps the numbers independent of the core count.
    """
    with threadpool_limits(limits=1):
        return _evaluate(project, bundle)


def _evaluate(project: Project, bundle: Bundle) -> Evaluation:
    baseline = _run(project.baseline, bundle, project)
    reference = _run(project.reference, bundle, project)
    field = tuple(_run(c, bundle, project) for c in project.field)
    return Evaluation(baseline, reference, (baseline, reference, *field))


def thresholds(recipe: Recipe, baseline: float, reference: float) -> Thresholds:
    """baseline and reference private scores; gold = reference improved by the margin.

    Raises RecipeError when the reference does not beat the baseline or gold is unreachable.
    """
    metric = get_metric(recipe.metric)
    if recipe.gold_margin <= 0:
        raise RecipeError(f"{recipe.id}: gold_margin must be positive")
    if not metric.better(reference, baseline):
        raise RecipeError(
            f"{recipe.id}: the reference ({reference:.6g}) does not beat the baseline"
            f" ({baseline:.6g}) on {recipe.metric}"
        )
    sign = 1.0 if metric.greater_is_better else -1.0
    gold = reference + sign * recipe.gold_margin
    if _out_of_range(recipe.metric, gold):
        raise RecipeError(f"{recipe.id}: gold {gold:.6g} is out of {recipe.metric}'s range")
    return Thresholds(baseline=baseline, reference=reference, gold=gold)


_BOUNDED_ABOVE_BY_ONE = ("accuracy", "macro_f1", "roc_auc", "pr_auc", "ndcg_at_k", "adjusted_rand")


def _out_of_range(metric: str, value: float) -> bool:
    return (metric in _BOUNDED_ABOVE_BY_ONE and value > 1.0) or value < 0.0
