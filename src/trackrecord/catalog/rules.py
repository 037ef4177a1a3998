"""The rules every catalog project keeps (DESIGN.md, "Grades you can trust"), as checks.

A medal is a claim about skill: it must not be earned by doing nothing, by luck, or by
looking up the answer. `violations(recipe, entry)` reads a recipe's metadata and its stored
numbers (which the slow rebuild test proves a fresh build reproduces) and names every rule
the project breaks; `tests/test_catalog_rules.py` runs it over the whole registry.

    python -m trackrecord.catalog.rules [ID ...]    # print what each project breaks
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence

from trackrecord.catalog.model import Recipe
from trackrecord.catalog.stored import StoredEntry
from trackrecord.metrics import get_metric

NOTHING_SE = 2.0  # no-skill predictions stay this many SE below the bronze line
SEPARATION_SE = 3.0  # reference - baseline
GOLD_SE = 1.0  # gold margin
FIELD_SE = 1.0  # the reference is within this of the best field pipeline
MIN_PRIVATE_ROWS = 300
MIN_PRIVATE_MINORITY = 100  # binary tasks: rows of the rarer class in the private split
MIN_PRIVATE_QUERIES = 200  # ranking: queries (users) in the private split
# |Spearman(id, column)| of a permutation is about N(0, 1/sqrt(n)) per column: the limit is
# 0.1, or 4/sqrt(n) for small training sets, where 0.1 would be crossed by chance.
ID_CORRELATION = 0.1
ID_CORRELATION_SDS = 4.0

# Skills that only make sense for some tasks (a classifier has no skewed target).
SKILL_TASKS: Mapping[str, tuple[str, ...]] = {
    "skewed-targets": ("regression", "time-series-forecasting", "recommendation-ranking"),
    "count-data": ("regression", "time-series-forecasting"),
    "multiclass": ("multiclass-classification", "image", "text"),
    "imbalanced-data": (
        "binary-classification",
        "multiclass-classification",
        "text",
        "anomaly-detection",
        "multilabel",
    ),
    "probability-calibration": ("binary-classification", "multiclass-classification", "text"),
    "time-series": ("time-series-forecasting",),
    "seasonality": ("time-series-forecasting",),
    "text-features": ("text",),
    "images": ("image", "clustering"),
    "clustering": ("clustering",),
    "recommendation": ("recommendation-ranking",),
    "ranking": ("recommendation-ranking",),
    "matrix-factorization": ("recommendation-ranking",),
    "discrete-choice": ("multiclass-classification", "recommendation-ranking"),
}
# Tasks whose rows have a time order that the split must respect.
TIME_TASKS = ("time-series-forecasting",)
# Other projects whose rows have a time order (their briefs say so): split by time too.
TIME_ORDERED = ("hotel-rates", "trump-tweets", "bird-strikes")


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _noise_rules(recipe: Recipe, entry: StoredEntry) -> list[str]:
    metric = get_metric(recipe.metric)
    se, th = entry.se, entry.thresholds
    sign = 1.0 if metric.greater_is_better else -1.0  # "better" is positive either way
    if se is None or se <= 0:
        return ["no bootstrap SE of the private score is stored"]
    assert th.baseline is not None and th.reference is not None and th.gold is not None
    out = []
    for c in entry.constants:
        gap = (th.baseline - c.private) * sign
        if gap < NOTHING_SE * se:
            out.append(
                f"rule 1: {c.name!r} scores {_fmt(c.private)}, only {gap / se:.1f} SE below the"
                f" baseline {_fmt(th.baseline)} (needs {NOTHING_SE:g} SE, SE={_fmt(se)})"
            )
    sep = abs(th.reference - th.baseline)
    if sep < SEPARATION_SE * se:
        out.append(
            f"rule 2: reference - baseline is {sep / se:.1f} SE (needs {SEPARATION_SE:g};"
            f" SE={_fmt(se)})"
        )
    margin = abs(th.gold - th.reference)
    if margin < GOLD_SE * se * 0.999:
        out.append(f"rule 2: gold margin {_fmt(margin)} is below 1 SE ({_fmt(se)})")
    others = entry.field[2:]
    if others:
        best = max(others, key=lambda f: f.private * sign)
        ahead = (best.private - th.reference) * sign
        if ahead > FIELD_SE * se:
            out.append(
                f"rule 2: field pipeline {best.name!r} ({_fmt(best.private)}) beats the"
                f" reference ({_fmt(th.reference)}) by {ahead / se:.1f} SE (at most {FIELD_SE:g})"
            )
        at_gold = [f.name for f in others if not metric.better(th.gold, f.private)]
        if at_gold:
            out.append(f"rule 2: field pipelines reach gold: {at_gold}")
    return out


def _size_rules(recipe: Recipe, entry: StoredEntry) -> list[str]:
    sizes, out = entry.sizes, []
    rows = sizes.get("private_rows", 0)
    if rows < MIN_PRIVATE_ROWS:
        out.append(f"rule 3: the private split has {rows} rows (needs {MIN_PRIVATE_ROWS})")
    minority = sizes.get("private_minority")
    if recipe.task == "binary-classification" and (minority or 0) < MIN_PRIVATE_MINORITY:
        out.append(
            f"rule 3: the private split has {minority} rows of the rarer class"
            f" (needs {MIN_PRIVATE_MINORITY})"
        )
    queries = sizes.get("private_groups")
    ranking = recipe.task == "recommendation-ranking"
    if ranking and queries is not None and queries < MIN_PRIVATE_QUERIES:
        out.append(f"rule 3: the private split has {queries} queries (needs {MIN_PRIVATE_QUERIES})")
    return out


def _split_rules(recipe: Recipe, entry: StoredEntry) -> list[str]:
    split, out = entry.split, []
    kind = split.get("kind")
    if kind is None:
        return ["rule 4: the stored entry does not say how the data were split"]
    if (recipe.task in TIME_TASKS or recipe.id in TIME_ORDERED) and kind != "time":
        out.append(f"rule 4: rows have a time order but the split is {kind!r}")
    corr = split.get("id_order_correlation")
    limit = id_correlation_limit(split.get("train_rows"))
    if corr is None or corr > limit:
        out.append(
            f"rule 5: ids follow the source order (|Spearman| {corr} with a column;"
            f" a seeded permutation stays below {limit:.3g})"
        )
    return out


def id_correlation_limit(train_rows: int | None) -> float:
    """The largest |Spearman(id, column)| a seeded permutation of this many rows shows by
    chance (4 standard deviations), and never below ID_CORRELATION."""
    if not train_rows:
        return ID_CORRELATION
    return max(ID_CORRELATION, ID_CORRELATION_SDS / math.sqrt(train_rows))


def _skill_rules(recipe: Recipe) -> list[str]:
    return [
        f"skill {skill!r} does not fit a {recipe.task} project"
        for skill in recipe.skills
        if skill in SKILL_TASKS and recipe.task not in SKILL_TASKS[skill]
    ]


def violations(recipe: Recipe, entry: StoredEntry | None) -> list[str]:
    """Every rule the project breaks, as sentences naming the numbers; empty when it keeps
    them all."""
    if entry is None or entry.version != recipe.version:
        return ["no stored numbers for this version: run --update-stored"]
    return [
        *_noise_rules(recipe, entry),
        *_size_rules(recipe, entry),
        *_split_rules(recipe, entry),
        *_skill_rules(recipe),
    ]


def sibling_violations(recipes: Sequence[Recipe]) -> list[str]:
    """Siblings exist and share a skill; every project is someone's sibling."""
    by_id = {r.id: r for r in recipes}
    out, named = [], set()
    for r in recipes:
        if not r.apply_elsewhere:
            out.append(f"{r.id}: names no apply-elsewhere sibling")
        for sib in r.apply_elsewhere:
            named.add(sib)
            other = by_id.get(sib)
            if other is None:
                out.append(f"{r.id}: sibling {sib!r} is not a project")
            elif not set(r.skills) & set(other.skills):
                out.append(f"{r.id}: sibling {sib!r} shares no skill with it")
    out += [f"{r.id}: is nobody's sibling" for r in recipes if r.id not in named]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from trackrecord.catalog.registry import all_recipes, get_recipe
    from trackrecord.catalog.stored import load_stored

    ids = list(sys.argv[1:] if argv is None else argv)
    recipes = [get_recipe(i) for i in ids] if ids else all_recipes()
    stored = load_stored()
    bad = 0
    for r in recipes:
        found = violations(r, stored.get(r.id))
        bad += bool(found)
        print(f"{r.id}: {'ok' if not found else ''}")
        for v in found:
            print(f"  - {v}")
    for v in sibling_violations(all_recipes()):
        print(f"siblings: {v}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
