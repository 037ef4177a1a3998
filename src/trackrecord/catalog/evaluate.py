"""Score a project's pipelines on its split and derive the medal thresholds.

Pipelines read the public files exactly as a learner gets them (CSV round trip), and their
submissions are scored as an uploaded file would be. Besides the baseline, the reference
and the field, the build scores what takes no skill at all (the sample submission, the best
constant predictions, the recipe's trivial forecasts) and measures the noise of the private
score, so the rules of DESIGN.md can be checked on real numbers (`rules.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from trackrecord.bundle import USAGE, Bundle, FieldEntry, Thresholds
from trackrecord.catalog.constants import constant_submissions
from trackrecord.catalog.model import Contender, Project, Recipe
from trackrecord.catalog.noise import bootstrap_se
from trackrecord.metrics import get_metric
from trackrecord.scoring import score_frame
from trackrecord.scoring.engine import align_frame


class RecipeError(Exception):
    """A recipe is wrong (a developer error, not a user's): bad ordering, invalid output."""


@dataclass(frozen=True)
class Evaluation:
    baseline: FieldEntry
    reference: FieldEntry
    field: tuple[FieldEntry, ...]  # baseline and reference first, then the standard pipelines
    constants: tuple[FieldEntry, ...]  # no skill: sample submission, constants, trivial
    se: float  # bootstrap SE of the reference's private score


def read_public(bundle: Bundle) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = bundle.public_dir
    return tuple(
        pd.read_csv(folder / f) for f in ("train.csv", "test.csv", "sample_submission.csv")
    )  # type: ignore[return-value]


def score_submission(bundle: Bundle, submission: pd.DataFrame) -> tuple[float, float]:
    """(public, private), validated and scored exactly as an uploaded file would be."""
    result = score_frame(bundle, submission, name=f"{bundle.challenge.id} submission")
    return result.public, result.private


def _check_shape(bundle: Bundle, name: str, submission: pd.DataFrame, sample: pd.DataFrame) -> None:
    if list(submission.columns) != list(sample.columns) or len(submission) != len(sample):
        raise RecipeError(
            f"{bundle.challenge.id}: {name!r} wrote columns {list(submission.columns)}"
            f" x {len(submission)} rows; expected {list(sample.columns)} x {len(sample)}"
        )


def _predict(contender: Contender, bundle: Bundle, project: Project) -> pd.DataFrame:
    train, test, sample = read_public(bundle)
    submission = contender.predict(train, test, project.spec)
    _check_shape(bundle, contender.name, submission, sample)
    return submission


def _entry(name: str, bundle: Bundle, submission: pd.DataFrame) -> FieldEntry:
    public, private = score_submission(bundle, submission)
    return FieldEntry(name, public, private)


def evaluate(project: Project, bundle: Bundle, *, with_field: bool = True) -> Evaluation:
    """Fit and score the baseline, the reference, the field and the no-skill predictions
    (`with_field=False`: all but the field's standard pipelines, which set no medal line).

    One thread for OpenMP and BLAS: on a busy machine more threads are far slower, and a
    single thread keeps the numbers independent of the core count.
    """
    with threadpool_limits(limits=1):
        return _evaluate(project, bundle, with_field)


def _evaluate(project: Project, bundle: Bundle, with_field: bool) -> Evaluation:
    baseline = _entry(project.baseline.name, bundle, _predict(project.baseline, bundle, project))
    ref_submission = _predict(project.reference, bundle, project)
    reference = _entry(project.reference.name, bundle, ref_submission)
    others = project.field if with_field else ()
    field = tuple(_entry(c.name, bundle, _predict(c, bundle, project)) for c in others)
    train, test, sample = read_public(bundle)
    nothing = [("sample submission", sample), *constant_submissions(train, test, project)]
    nothing += [(c.name, _predict(c, bundle, project)) for c in project.trivial]
    constants = tuple(_entry(name, bundle, sub) for name, sub in nothing)
    aligned = align_frame(bundle, ref_submission, name=project.reference.name)
    se = bootstrap_se(
        aligned, ordered=project.split.kind == "time", clusters=_clusters(project, bundle)
    )
    return Evaluation(baseline, reference, (baseline, reference, *field), constants, se)


def _clusters(project: Project, bundle: Bundle) -> np.ndarray | None:
    """For a group split: each answer-key row's group (in the key's order), so the SE
    resamples whole groups; None for other splits or when no public file holds the column."""
    column = project.split.column
    if project.split.kind not in ("group", "group-later") or column is None:
        return None
    id_column = project.spec.id_column
    source = next(
        (f for f in (project.test, project.answers) if column in f.columns),
        None,
    )
    if source is None:
        return None
    ids = pd.read_csv(bundle.solution_path, usecols=[id_column])[id_column]
    by_id = source.set_index(id_column)[column]
    return by_id.reindex(ids.to_numpy()).to_numpy()


def gold_margin(recipe: Recipe, se: float) -> float:
    """The recipe's margin, raised to one SE (rounded up to two significant digits) when it
    is smaller: a gold medal must not be a lucky draw (DESIGN.md, rule 2)."""
    if se <= 0:
        return recipe.gold_margin
    digits = 1 - math.floor(math.log10(se))
    step = 10.0**-digits
    one_se = math.ceil(round(se / step, 6)) * step
    return max(recipe.gold_margin, round(one_se, digits))


# A pipeline run again (in a learner's notebook, on another CPU) moves its score by less
# than this share of the private score's SE (tests/test_catalog_rebuild.py checks it).
RERUN_SE = 0.1
# The public split is 3/7 the size of the private one: its SE is about sqrt(7/3) larger.
PUBLIC_SE_FACTOR = math.sqrt(7 / 3)


def bronze_step(se: float, split: str = "private") -> float:
    """How far beyond the baseline's score the bronze line lies: what re-running the
    baseline can move it, so the unmodified starter never earns bronze by rounding."""
    return RERUN_SE * se * (PUBLIC_SE_FACTOR if split == "public" else 1.0)


def thresholds(
    recipe: Recipe, baseline: float, reference: float, margin: float, step: float = 0.0
) -> Thresholds:
    """The medal lines: bronze = the baseline's score improved by `step` (`bronze_step`),
    silver = the reference's score, gold = the reference improved by the margin.

    Raises RecipeError when the reference does not beat the baseline or gold is unreachable.
    """
    metric = get_metric(recipe.metric)
    if margin <= 0:
        raise RecipeError(f"{recipe.id}: gold_margin must be positive")
    if not metric.better(reference, baseline):
        raise RecipeError(
            f"{recipe.id}: the reference ({reference:.6g}) does not beat the baseline"
            f" ({baseline:.6g}) on {recipe.metric}"
        )
    sign = 1.0 if metric.greater_is_better else -1.0
    gold = reference + sign * margin
    if _out_of_range(recipe.metric, gold):
        raise RecipeError(f"{recipe.id}: gold {gold:.6g} is out of {recipe.metric}'s range")
    bronze = baseline + sign * step
    if not metric.better(reference, bronze):
        raise RecipeError(f"{recipe.id}: the bronze line {bronze:.6g} is beyond the reference")
    return Thresholds(baseline=bronze, reference=reference, gold=gold)


_BOUNDED_ABOVE_BY_ONE = (
    "accuracy",
    "macro_f1",
    "roc_auc",
    "pr_auc",
    "ndcg_at_k",
    "map_at_k",
    "adjusted_rand",
    "concordance_index",
)


def _out_of_range(metric: str, value: float) -> bool:
    return (metric in _BOUNDED_ABOVE_BY_ONE and value > 1.0) or value < 0.0


def private_sizes(project: Project) -> dict[str, int]:
    """What the private split holds: rows, the rarer class (binary labels), queries."""
    answers = project.answers
    private = answers[answers[USAGE] == "Private"]
    sizes = {"private_rows": len(private)}
    target = project.spec.target
    if project.spec.labels is not None and len(project.spec.labels) == 2 and target in private:
        sizes["private_minority"] = int(private[target].astype(str).value_counts().min())
    group = project.spec.group_column
    if group is not None and group in private:
        sizes["private_groups"] = int(private[group].nunique())
    return sizes


def check_split(project: Project) -> None:
    """A time split must put all of train before test; a group split no group on both
    sides. Raises RecipeError when the data break the recipe's promise."""
    split, train, test = project.split, project.train, project.test
    if split.kind in ("time", "group", "group-later") and not split.column:
        raise RecipeError(f"a {split.kind} split must name its column")
    if split.kind == "group-later":
        _check_later(project, split.column or "", split.order)
    column = split.column or ""
    if split.kind == "time":
        if column not in train or column not in test:
            raise RecipeError(f"time column {column!r} must be in train.csv and test.csv")
        if pd.Series(train[column]).max() > pd.Series(test[column]).min():
            raise RecipeError(f"time split on {column!r}: train has rows after test starts")
    if split.kind == "group":
        test_groups = project.answers[column] if column in project.answers else test[column]
        overlap = set(train[column]) & set(test_groups)
        if overlap:
            raise RecipeError(f"group split on {column!r}: {len(overlap)} groups on both sides")


def _check_later(project: Project, group: str, order: str | None) -> None:
    train, test = project.train, project.test
    if order is None or order not in train or order not in test:
        raise RecipeError(
            f"a group-later split needs its order column in train and test: {order!r}"
        )
    groups = project.answers[group] if group in project.answers else test[group]
    test_start = pd.Series(test[order].to_numpy(), index=groups.to_numpy()).groupby(level=0).min()
    known = train[train[group].isin(test_start.index)].groupby(group)[order].max()
    late = known[known > test_start.reindex(known.index)]
    if len(late):
        raise RecipeError(
            f"group-later split on {group!r}: {len(late)} groups have train rows after"
            f" their test rows start in {order!r}"
        )


def id_order_correlation(project: Project) -> float:
    """The largest |Spearman correlation| between the id and a numeric column of train:
    near 0 when ids are a permutation, near 1 when they follow a sorted source."""
    train = project.train
    ids = pd.Series(pd.factorize(train[project.spec.id_column], sort=True)[0])
    best = 0.0
    for column in train.columns:
        if column == project.spec.id_column:
            continue
        values = train[column]
        if values.nunique() < 2:
            continue
        if not pd.api.types.is_numeric_dtype(values):
            values = pd.Series(pd.factorize(values.astype(str), sort=True)[0])
        rho = ids.corr(values.reset_index(drop=True).rank(), method="spearman")
        if np.isfinite(rho):
            best = max(best, abs(float(rho)))
    return best
