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
Split = Literal["public", "private"]  # which part of the test rows a number is scored on
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
    # A bundle folder for a hosted server, re-split and re-keyed with its secret and the
    # copy's id (DESIGN.md, rule 7): a local build says nothing about its answer key.
    def hosted_copy(
        self,
        project_id: str,
        dest: Path,
        *,
        secret: str,
        slug: str,
        progress: Callable[[str], None] | None = None,
    ) -> Path: ...


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
    """Where a score would place among the reference models ("the field"), on one split:
    a public score among the field's public scores while the learner works, a private score
    among their private scores once the project is finalized."""

    rank: int  # 1-based; ties with a reference model place level with it
    total: int  # field size + 1 (the learner)
    ahead_of: tuple[str, ...]
    behind: tuple[str, ...]
    split: Split = "public"


@dataclass(frozen=True)
class MedalProgress:
    """The medal a score reaches and what the next one needs, on one split.

    `split` says which: "public" compares a public score with the project's public
    thresholds (an estimate, while the learner works; also what a practice submission
    would have reached), "private" compares the private score with the private thresholds
    (the medal itself, once finalized). `baseline`, `reference` and `gold` are the lines
    on that split. A project without lines on that split reaches no medal.
    """

    medal: Medal | None
    next_medal: Medal | None
    next_target: float | None
    baseline: float | None
    reference: float | None
    gold: float | None
    split: Split = "public"


@dataclass(frozen=True)
class SubmissionView:
    """One submission as its author sees it.

    `number` is the submission's place among the user's submissions to this project
    (#1, #2, ...: every file, scored or invalid, in the order they arrived; never changes).
    `id` is the database id, unique across projects (what the web form and the JSON API's
    picks take). `problems` says why an invalid file was not scored. `practice`: sent after
    the user finalized the project; scored for learning, never part of the medal, the final
    picks or the mastery evidence. `file_kept` is False once the file of an invalid
    submission was removed after its retention (the row and its reasons stay).
    """

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
    number: int = 0
    practice: bool = False
    file_kept: bool = True


@dataclass(frozen=True)
class SubmitResult:
    """What `submit` returns. Every estimate is on the public split: `place` among the
    field's public scores, `medal_progress` against the public thresholds. For a `practice`
    submission (the project was finalized before) the medal progress says what the practice
    score would reach against the public lines; it never changes the medal."""

    project_id: str
    submission: SubmissionView
    metric: str
    greater_is_better: bool
    public_score: float
    previous_best: float | None  # practice: over every earlier scored submission
    best: float
    change: float | None  # public_score - previous_best
    improved: bool
    place: FieldPlace | None
    medal_progress: MedalProgress
    per_day: int
    left_today: int
    practice: bool = False
    finalized_medal: Medal | None = None  # practice only: the medal the project was given


@dataclass(frozen=True)
class LearnerPlace:
    """Where a private score stands among the learners who finalized the project."""

    rank: int  # 1-based; ties share the better rank
    total: int  # learners who finalized (the user included)


@dataclass(frozen=True)
class FinalizePreview:
    """What `finalize` would judge, before it happens (finalizing is once, and final).

    `picks` are the submissions that would count (best private score among them), `rule`
    says in words how they were chosen, `estimate` is the best pick's public score against
    the public thresholds (the private score is unknown until finalized).
    """

    project_id: str
    metric: str
    greater_is_better: bool
    picks: tuple[SubmissionView, ...]
    rule: str
    final_picks: int  # the most picks this project allows
    selected: bool  # True: picks selected or named by the user; False: best public ones
    estimate: MedalProgress
    deadline: datetime | None = None


@dataclass(frozen=True)
class FinalizeResult:
    """A finalized project: what `finalize` returns, and `Service.results` afterwards.

    Everything private is revealed here, and only here: the private score and medal, the
    private `thresholds` (beside the `public_thresholds` the estimates used), the place on
    the private board among the learners who finalized (`learners`) and among the field's
    private scores (`field_place`), and the reference pipeline's code (None when the
    project ships none), so step 3 of the project can be checked.
    """

    project_id: str
    metric: str
    greater_is_better: bool
    picks: tuple[SubmissionView, ...]
    submission_id: int  # the pick whose private score counts
    public_score: float
    private_score: float
    medal: Medal | None
    medal_progress: MedalProgress  # split "private"
    finalized_at: datetime
    submission_number: int = 0  # the counted pick's number within the project
    thresholds: Thresholds = field(default_factory=Thresholds)  # private split
    public_thresholds: Thresholds = field(default_factory=Thresholds)
    learners: LearnerPlace | None = None
    field_place: FieldPlace | None = None  # split "private"
    reference_code: str | None = None
    practice_submissions: int = 0  # sent after finalizing (never counted)


@dataclass(frozen=True)
class ProjectStatus:
    """One project in the status report. `best_public` is over the judged (non-practice)
    submissions; `submissions` counts scored ones, `practice` those sent after finalizing."""

    id: str
    title: str
    metric: str
    state: State
    submissions: int
    best_public: float | None
    medal: Medal | None
    private_score: float | None
    last_submission_at: datetime | None
    practice: int = 0


@dataclass(frozen=True)
class StatusReport:
    """A learner's track record. `total_projects` is the number of projects that exist now
    (built-in and hosted), what `started` and `finalized` are counted against."""

    started: int
    finalized: int
    medals: dict[str, int]
    streak_days: int
    submissions_today: int
    projects: tuple[ProjectStatus, ...]
    total_projects: int = 0


@dataclass(frozen=True)
class ProjectReport:
    """One project for one learner (`trackrecord status ID`): the state, the judged
    submissions' best public score against the public thresholds (`estimate`, None before
    any scored submission), and once finalized the revealed `result`."""

    project: ProjectInfo
    state: State
    submissions: tuple[SubmissionView, ...]
    best_public: float | None
    estimate: MedalProgress | None
    result: FinalizeResult | None
