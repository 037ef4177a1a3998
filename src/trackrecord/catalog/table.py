"""The table of built-in projects in docs/catalog.md, from the registry and stored.json.

    python -m trackrecord.catalog.table     # print it; a test checks the docs hold it

Thresholds are on the private split (what medals are judged on), with the bootstrap SE of
the reference's private score, so a reader sees how far apart the lines are in noise units.
"""

from __future__ import annotations

from trackrecord.catalog.families import FAMILIES, family
from trackrecord.catalog.registry import all_recipes
from trackrecord.catalog.stored import load_stored

HEADER = (
    "| level | family | id | title | metric | baseline | reference | gold | SE | skills |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"


def catalog_table() -> str:
    """One row per project, by level, then family (in the ladder's order), then id."""
    stored = load_stored()
    rows = [HEADER]
    rank = {f: i for i, f in enumerate(FAMILIES)}
    for r in sorted(all_recipes(), key=lambda r: (r.level, rank.get(family(r), 99), r.id)):
        entry = stored.get(r.id)
        th = entry.thresholds if entry else None
        cells = [
            str(r.level),
            family(r),
            f"`{r.id}`",
            r.title.replace("|", "\\|"),
            r.metric,
            _num(th.baseline if th else None),
            _num(th.reference if th else None),
            _num(th.gold if th else None),
            _num(entry.se if entry else None),
            ", ".join(r.skills),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(catalog_table())
