"""The ladder's own rules (issue 12): counts per level and family, every metric used, every
skill taught by three projects across two levels, the pitfall strand, no prerequisite cycle.
Each check is shown failing on a small ladder built to break it, and passing on one built to
keep it; `python -m trackrecord.catalog.ladder_rules` prints what the real registry lacks."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from trackrecord.catalog import ladder_rules
from trackrecord.catalog.ladder_rules import ladder_violations
from trackrecord.catalog.model import Recipe
from trackrecord.catalog.path import LearningPath, builtin_path, parse_path
from trackrecord.catalog.registry import all_recipes, get_recipe

TASKS = {  # one task (and metric) per family, for the toy ladder
    "classification": ("binary-classification", "accuracy"),
    "regression": ("regression", "rmse"),
    "count and ordinal": ("regression", "poisson_deviance"),
    "forecasting": ("time-series-forecasting", "mase"),
    "sequence classification": ("multiclass-classification", "accuracy"),
    "text": ("text", "macro_f1"),
    "images": ("image", "accuracy"),
    "clustering": ("clustering", "adjusted_rand"),
    "anomaly detection": ("anomaly-detection", "pr_auc"),
    "survival": ("survival", "concordance_index"),
    "recommendation and ranking": ("recommendation-ranking", "map_at_k"),
    "multilabel": ("multilabel", "hamming_loss"),
}


def _toy_ladder(per_family: int = 3) -> list[Recipe]:
    """A ladder that keeps every rule with small numbers: 3 skills, 2 metrics a family."""
    base = get_recipe("titanic")
    out: list[Recipe] = []
    levels = itertools.cycle(range(1, 6))
    for fam, (task, metric) in TASKS.items():
        for i in range(per_family):
            out.append(
                dataclasses.replace(
                    base,
                    id=f"{fam.replace(' ', '-')}-{i}",
                    task=task,
                    metric=metric,
                    level=next(levels),
                    skills=("trees", "leakage")
                    + (("time-series-classification",) if fam.startswith("sequence") else ()),
                    apply_elsewhere=(),
                )
            )
    for a, b in zip(out, out[1:] + out[:1], strict=True):  # a ring of siblings
        object.__setattr__(a, "apply_elsewhere", (b.id,))
    ladder_rules.MIN_PROJECTS = len(out)  # restored by the fixture below
    ladder_rules.MIN_PER_LEVEL = len(out) // 5
    return out


@pytest.fixture(autouse=True)
def _restore() -> object:
    saved = (ladder_rules.MIN_PROJECTS, ladder_rules.MIN_PER_LEVEL)
    yield None
    ladder_rules.MIN_PROJECTS, ladder_rules.MIN_PER_LEVEL = saved


def _check(recipes: list[Recipe], path: LearningPath | None = None) -> list[str]:
    metrics = sorted({m for _, m in TASKS.values()})
    return ladder_violations(
        recipes,
        path or LearningPath({}),
        metrics=metrics,
        skills=["trees", "leakage"],
    )


def test_a_complete_toy_ladder_breaks_no_rule() -> None:
    assert _check(_toy_ladder()) == []


def test_each_gap_is_named() -> None:
    ladder = _toy_ladder()
    thin = [r for r in ladder if not r.id.startswith("survival-")]
    found = _check(thin)
    assert "family 'survival': 0 projects, needs at least 3" in found
    assert "metric 'concordance_index' is used by no project" in found
    assert any(f.startswith(f"{len(thin)} projects; the ladder needs at least") for f in found)
    one_level = [dataclasses.replace(r, level=2) for r in ladder]
    found = _check(one_level)
    assert (
        "skill 'trees': taught by 36 projects at levels [2], needs at least 3 across two"
        " levels" in found
    )
    assert "level 1: 0 projects, needs at least 7" in found


def test_a_prerequisite_cycle_and_a_missing_pitfall_are_found() -> None:
    ladder = _toy_ladder()
    ids = {r.id for r in ladder}
    cycle = parse_path(
        'version = 1\n["text-0"]\nrequires = ["images-0"]\n["images-0"]\nrequires = ["text-0"]\n',
        "cycle.toml",
        ids,
    )
    assert any(v.startswith("prerequisites form a cycle") for v in _check(ladder, cycle))
    no_leak = [
        dataclasses.replace(r, skills=tuple(s for s in r.skills if s != "leakage")) for r in ladder
    ]
    found = _check(no_leak)
    assert "pitfall strand: no project teaches 'leakage'" in found


def test_the_real_ladder_keeps_every_rule() -> None:
    """The built-in catalog: 100 projects or more, 12 at each level, every family with three,
    every metric used, every skill taught by three projects across two levels, the pitfall
    strand, prerequisites without a cycle, and everyone someone's sibling."""
    assert ladder_violations(all_recipes(), builtin_path()) == []
