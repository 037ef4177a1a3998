"""The challenge model: what a bundle's challenge.toml declares, as typed values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
TASKS = (
    "binary-classification",
    "multiclass-classification",
    "multilabel",
    "regression",
    "time-series-forecasting",
    "text",
    "image",
    "clustering",
    "recommendation-ranking",
    "anomaly-detection",
    "survival",
    "other",
)

DEFAULT_PER_DAY = 5
DEFAULT_FINAL_PICKS = 2
DEFAULT_DIFFICULTY = 3
DEFAULT_GOLD_MARGIN = 0.0


@dataclass(frozen=True)
class Thresholds:
    """Medal lines on one split: bronze beats `baseline`, silver reaches `reference`, gold
    beats `gold` (the reference plus the project's margin). All optional for hosts.

    A challenge keeps two sets: `thresholds` (private split: what medals are judged on) and
    `public_thresholds` (the same pipelines scored on the public split: what every estimate
    made while a learner works compares public scores with)."""

    baseline: float | None = None
    reference: float | None = None
    gold: float | None = None


@dataclass(frozen=True)
class FieldEntry:
    """One reference model ("the field"): a standard pipeline scored on the same split."""

    name: str
    public: float
    private: float


@dataclass(frozen=True)
class Limits:
    per_day: int = DEFAULT_PER_DAY
    final_picks: int = DEFAULT_FINAL_PICKS


@dataclass(frozen=True)
class Challenge:
    """Everything challenge.toml says, validated. Paths are not part of it (see Bundle)."""

    id: str
    title: str
    task: str
    metric: str
    id_column: str
    target_columns: tuple[str, ...]  # prediction columns of a submission, after the id
    solution_columns: tuple[str, ...]  # value columns of private/solution.csv
    version: str = "1"
    metric_params: Mapping[str, Any] = field(default_factory=dict)
    group_column: str | None = None  # solution column holding query ids (ranking metrics)
    difficulty: int = DEFAULT_DIFFICULTY
    skills: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    limits: Limits = field(default_factory=Limits)
    apply_elsewhere: tuple[str, ...] = ()
    deadline: datetime | None = None
    labels: tuple[str, ...] | None = None  # allowed labels / class order, when the task has them
    gold_margin: float | None = None
    public_thresholds: Thresholds = field(default_factory=Thresholds)
    score_se: float | None = None  # bootstrap standard error of the reference's private score
    field: tuple[FieldEntry, ...] = ()  # (shadows dataclasses.field below this line)

    @property
    def submission_columns(self) -> tuple[str, ...]:
        return (self.id_column, *self.target_columns)


@dataclass(frozen=True)
class Bundle:
    """A readable challenge bundle on disk (a folder; zips are unpacked safely first)."""

    root: Path
    challenge: Challenge
    description: str
    source: Path  # what the user named: the folder or the .zip

    @property
    def public_dir(self) -> Path:
        return self.root / "public"

    @property
    def solution_path(self) -> Path:
        return self.root / "private" / "solution.csv"

    @property
    def starter_dir(self) -> Path:
        return self.root / "starter"

    def public_files(self) -> list[Path]:
        """Every file a learner receives, sorted; never anything under private/."""
        return sorted(p for p in self.public_dir.rglob("*") if p.is_file())


def sort_labels(labels: Iterable[str]) -> list[str]:
    """Numeric labels in numeric order ("9" before "10"), others as text."""
    found = list(labels)
    try:
        return sorted(found, key=float)
    except ValueError:
        return sorted(found)
