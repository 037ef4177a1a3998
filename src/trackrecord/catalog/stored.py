"""stored.json: the numbers each recipe's pipelines produce, kept with the code.

Per recipe: the recipe version, the sha256 of the private solution it was computed on, the
thresholds (private split) and the field (public and private scores). `list_projects` reads
thresholds from here without building anything; a build uses them when its solution file
hashes the same, and recomputes otherwise. `python -m trackrecord.catalog.build
--update-stored` rewrites the file; a slow test checks a rebuild reproduces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from trackrecord.bundle import FieldEntry, Thresholds

STORED_PATH = Path(__file__).with_name("stored.json")


@dataclass(frozen=True)
class StoredEntry:
    version: str
    solution_sha256: str
    thresholds: Thresholds
    field: tuple[FieldEntry, ...]

    def to_json(self) -> dict[str, Any]:
        th = self.thresholds
        return {
            "version": self.version,
            "solution_sha256": self.solution_sha256,
            "thresholds": {"baseline": th.baseline, "reference": th.reference, "gold": th.gold},
            "field": [
                {"name": f.name, "public": f.public, "private": f.private} for f in self.field
            ],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> StoredEntry:
        th = doc["thresholds"]
        return cls(
            version=str(doc["version"]),
            solution_sha256=str(doc["solution_sha256"]),
            thresholds=Thresholds(th["baseline"], th["reference"], th["gold"]),
            field=tuple(FieldEntry(f["name"], f["public"], f["private"]) for f in doc["field"]),
        )


@cache
def load_stored(path: Path = STORED_PATH) -> dict[str, StoredEntry]:
    """Every stored entry by recipe id; an absent file means nothing is stored yet."""
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {rid: StoredEntry.from_json(entry) for rid, entry in doc.items()}


def save_stored(entries: dict[str, StoredEntry], path: Path = STORED_PATH) -> None:
    doc = {rid: entries[rid].to_json() for rid in sorted(entries)}
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    load_stored.cache_clear()
