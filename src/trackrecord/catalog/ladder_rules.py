"""The rules the ladder as a whole keeps (issue 12, "The ladder"), as checks over the registry.

Per-project rules (honest grades) live in `rules.py`; these look at the catalog together: is
there a complete path from a first model to hard problems?

- at least MIN_PROJECTS projects, at least MIN_PER_LEVEL at each level 1-5;
- every family of REQUIRED_FAMILIES with at least MIN_PER_FAMILY projects;
- every metric in the registry used by at least one project;
- every skill in the vocabulary taught by at least MIN_PER_SKILL projects across at least
  two levels;
- the pitfall strand: a project for each of PITFALL_SKILLS;
- prerequisites without cycles, and every project's siblings sharing a skill (rules.py).

    python -m trackrecord.catalog.ladder_rules     # print what the ladder still lacks
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Sequence

from trackrecord.catalog.families import FAMILIES, family
from trackrecord.catalog.model import Recipe
from trackrecord.catalog.path import LearningPath, find_cycle
from trackrecord.catalog.rules import sibling_violations
from trackrecord.catalog.skills import SKILLS
from trackrecord.metrics import all_metrics

MIN_PROJECTS = 100
MIN_PER_LEVEL = 12
MIN_PER_FAMILY = 3
MIN_PER_SKILL = 3
REQUIRED_FAMILIES = tuple(f for f in FAMILIES if f != "other")
# The pitfall strand: the lesson is the trap. Each needs a project that teaches it.
PITFALL_SKILLS = ("leakage", "distribution-shift", "grouped-data", "fairness", "large-data")


def ladder_violations(
    recipes: Sequence[Recipe],
    path: LearningPath,
    *,
    metrics: Sequence[str] | None = None,
    skills: Sequence[str] | None = None,
) -> list[str]:
    """Everything the ladder of `recipes` under `path` lacks, one sentence each."""
    out: list[str] = []
    if len(recipes) < MIN_PROJECTS:
        out.append(f"{len(recipes)} projects; the ladder needs at least {MIN_PROJECTS}")
    levels = Counter(r.level for r in recipes)
    out += [
        f"level {lv}: {levels[lv]} projects, needs at least {MIN_PER_LEVEL}"
        for lv in range(1, 6)
        if levels[lv] < MIN_PER_LEVEL
    ]
    families = Counter(family(r) for r in recipes)
    out += [
        f"family {f!r}: {families[f]} projects, needs at least {MIN_PER_FAMILY}"
        for f in REQUIRED_FAMILIES
        if families[f] < MIN_PER_FAMILY
    ]
    used = {r.metric for r in recipes}
    names = metrics if metrics is not None else [m.name for m in all_metrics()]
    out += [f"metric {m!r} is used by no project" for m in names if m not in used]
    teaching: dict[str, list[Recipe]] = defaultdict(list)
    for r in recipes:
        for s in r.skills:
            teaching[s].append(r)
    vocabulary = list(skills) if skills is not None else list(SKILLS)
    for s in vocabulary:
        here = teaching.get(s, [])
        at = sorted({r.level for r in here})
        if len(here) < MIN_PER_SKILL or len(at) < 2:
            out.append(
                f"skill {s!r}: taught by {len(here)} projects at levels {at or 'none'}, needs"
                f" at least {MIN_PER_SKILL} across two levels"
            )
    out += [
        f"pitfall strand: no project teaches {s!r}"
        for s in PITFALL_SKILLS
        if s in vocabulary and not teaching.get(s)
    ]
    cycle = find_cycle(path, recipes)
    if cycle:
        out.append(f"prerequisites form a cycle: {' -> '.join(cycle)}")
    out += [f"siblings: {v}" for v in sibling_violations(recipes)]
    return out


def main() -> int:
    from trackrecord.catalog.path import builtin_path
    from trackrecord.catalog.registry import all_recipes

    problems = ladder_violations(all_recipes(), builtin_path())
    for p in problems:
        print(p)
    print(f"{len(problems)} thing(s) the ladder lacks" if problems else "the ladder is complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
