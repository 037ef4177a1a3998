"""The table of built-in projects in docs/catalog.md, from the registry and stored.json.

    python -m trackrecord.catalog.table     # print it; a test checks the docs hold it

Thresholds are on the private split (what medals are judged on), with the bootstrap SE of
the reference's private score, so a reader sees how far apart the lines are in noise units.
"""

from __future__ import annotations

from trackrecord.catalog.registry import all_recipes
from trackrecord.catalog.stored import load_stored

HEADER = (
    "| id | title | task | metric | level | baseline | reference | gold | SE | skills |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"


def catalog_table() -> str:
    """One row per project, sorted by level then id."""
    stored = load_stored()
    rows = [HEADER]
    for r in all_recipes():
        entry = stored.get(r.id)
        th = entry.thresholds if entry else None
        cells = [
            f"`{r.id}`",
            r.title.replace("|", "\\|"),
            r.task,
            r.metric,
            str(r.level),
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
