"""What the use cases take and return: plain frozen dataclasses every face can render.

Nothing here talks to the database; the protocols let tests (and the hosted server) inject
their own catalog and scorer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from trackrecord.bundle import Bundle, Thresholds

State = Literal["new", "started", "finalized"]
Medal = Literal["bronze", "silver", "gold"]
MEDAL_ORDER: tuple[Medal, ...] = ("bronze", "silver", "gold")
BuildProgress = Callable[[str, int, int], None]


class ProjectMetaLike(Protocol):
    """What a catalog says about one project (trackrecord.catalog.ProjectMeta fits)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def task(self) -> str: ...
    @property
    def metric(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def skills(self) -> tuple[str, ...]: ...
    @property
    def apply_elsewhere(self) -> tuple[str, ...]: ...
    @property
    def summary(self) -> str: ...
    @property
    def thresholds(self) -> Thresholds: ...
    @property
    def gold_margin(self) -> float | None: ...
    @property
    def public_thresholds(self) -> Thresholds: ...
    @property
    def score_se(self) -> float | None: ...


class CatalogSource(Protocol):
    """Where built-in projects come from: the catalog package by default, a fake in tests."""

    def list_projects(self) -> Sequence[ProjectMetaLike]: ...
    def get_project(self, project_id: str) -> ProjectMetaLike: ...
    def bundle_path(self, project_id: str) -> Path: ...
    def build(
        self, ids: Sequence[str] | None = None, progress: BuildProgress | None = None
    ) -> Mapping[str, Path]: ...


class ScoreLike(Protocol):
    """What a scorer returns (trackrecord.scoring.ScoreResult fits)."""

    @property
    def metric(self) -> str: ...
    @property
    def public(self) -> float: ...
    @property
    def private(self) -> float: ...
    @property
    def rows(self) -> int: ...
    @property
    def greater_is_better(self) -> bool: ...


Scorer = Callable[[Bundle, Path], ScoreLike]


@dataclass(frozen=True)
class ProjectInfo:
    """One project, built-in or hosted, as a list or page shows it."""

    id: str
    title: str
    task: str
    metric: str
    level: int
    skills: tuple[str, ...]
    summary: str
    source: Literal["builtin", "uploaded"]
    apply_elsewhere: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)  # private split: the medal
    deadline: datetime | None = None
    public_thresholds: Thresholds = field(default_factory=Thresholds)  # estimates before then
    score_se: float | None = None  # bootstrap SE of the reference's private score


@dataclass(frozen=True)
class Progress:
    """A learner's progress on one project."""

    state: State
    submissions: int = 0
    best_public: float | None = None
    medal: Medal | None = None
    private_score: float | None = None


@dataclass(frozen=True)
class CatalogEntry:
    project: ProjectInfo
    progress: Progress


@dataclass(frozen=True)
class StartResult:
    project: ProjectInfo
    path: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]  # files already there (the learner's work is never overwritten)


@dataclass(frozen=True)
class FieldPlace:
    """Where a public score would place among the reference models ("the field")."""

    rank: int  # 1-based; ties with a reference model place level with it
    total: int  # field size + 1 (the learner)
    ahead_of: tuple[str, ...]
    behind: tuple[str, ...]


@dataclass(frozen=True)
class MedalProgress:
    """The medal a score reaches and what the next one needs (thresholds: private split)."""

    medal: Medal | None
    next_medal: Medal | None
    next_target: float | None
    baseline: float | None
    reference: float | None
    gold: float | None


@dataclass(frozen=True)
class SubmissionView:
    id: int
    project_id: str
    created_at: datetime
    filename: str
    sha256: str
    size_bytes: int
    status: str
    public_score: float | None
    rows: int | None
    problems: tuple[str, ...]
    picked: bool = False
    private_score: float | None = None  # only once the project is finalized
    note: str | None = None


@dataclass(frozen=True)
class SubmitResult:
    project_id: str
    submission: SubmissionView
    metric: str
    greater_is_better: bool
    public_score: float
    previous_best: float | None
    best: float
    change: float | None  # public_score - previous_best
    improved: bool
    place: FieldPlace | None
    medal_progress: MedalProgress
    per_day: int
    left_today: int


@dataclass(frozen=True)
class FinalizeResult:
    project_id: str
    metric: str
    greater_is_better: bool
    picks: tuple[SubmissionView, ...]
    submission_id: int  # the pick whose private score counts
    public_score: float
    private_score: float
    medal: Medal | None
    medal_progress: MedalProgress
    finalized_at: datetime


@dataclass(frozen=True)
class ProjectStatus:
    id: str
    title: str
    metric: str
    state: State
    submissions: int
    best_public: float | None
    medal: Medal | None
    private_score: float | None
    last_submission_at: datetime | None


@dataclass(frozen=True)
class StatusReport:
    started: int
    finalized: int
    medals: dict[str, int]
    streak_days: int
    submissions_today: int
    projects: tuple[ProjectStatus, ...]
