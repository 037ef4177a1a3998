"""The catalog's types: a recipe's static metadata, what its build step returns, and the
protocol every pipeline ("contender": baseline, reference, field entry) follows."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import pandas as pd

from trackrecord.bundle import Thresholds
from trackrecord.metrics import InputKind

if TYPE_CHECKING:
    from trackrecord.catalog.stored import StoredEntry

DEFAULT_PUBLIC_FRACTION = 0.3


@dataclass(frozen=True)
class ProjectMeta:
    """What the catalog says about a project without building it (instant)."""

    id: str
    title: str
    task: str
    metric: str
    level: int
    skills: tuple[str, ...]
    apply_elsewhere: tuple[str, ...]
    summary: str
    thresholds: Thresholds  # private split: what the medal is judged on
    gold_margin: float
    public_thresholds: Thresholds = dataclasses.field(
        default_factory=Thresholds
    )  # public split: estimates before finalizing
    score_se: float | None = None  # bootstrap SE of the reference's private score


@dataclass(frozen=True)
class Brief:
    """The recipe-specific parts of description.md; the rest is generated."""

    source: str  # where the data comes from, with its citation
    about: str  # what the rows are and how they were collected
    target: str  # what to predict, in the learner's words
    metric_why: str  # why this metric fits the problem
    columns: Mapping[str, str] = dataclasses.field(default_factory=dict)  # column -> meaning
    pitfalls: tuple[str, ...] = ()  # traps of this problem, one sentence or two each
    validation: str = ""  # how to validate locally so the estimate matches the private split
    split_why: str = ""  # why the test set was chosen the way it was (time, groups, random)


SplitKind = Literal["random", "stratified", "time", "group", "group-later"]


@dataclass(frozen=True)
class SplitInfo:
    """How train/test were split: `column` is the time column ("time") or the group
    column ("group", "group-later"); the build checks the data keeps the promise.

    "group-later": some groups (users) are test groups, and each one's rows after its own
    cut in `order` (e.g. the later half of a user's ratings in time) are the test rows;
    everything else is train. Recommenders are judged this way: on what a known user did
    next.
    """

    kind: SplitKind
    column: str | None = None
    order: str | None = None  # "group-later": the column that orders a group's rows


@dataclass(frozen=True)
class Spec:
    """What a pipeline needs to know to produce a valid submission."""

    id_column: str
    target: str  # the train column a model learns from
    target_columns: tuple[str, ...]  # submission prediction columns
    kind: InputKind
    labels: tuple[str, ...] | None = None
    clip_min: float | None = None  # lowest valid prediction (e.g. 0 for RMSLE)
    group_column: str | None = None
    time_column: str | None = None  # the column giving time order (forecasts: the history)

    @property
    def positive(self) -> str:
        assert self.labels is not None and len(self.labels) == 2
        return self.labels[1]


class Contender(Protocol):
    """A pipeline scored on the split: fit on train, return a submission for test."""

    @property
    def name(self) -> str: ...

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame: ...


@dataclass(frozen=True)
class Project:
    """What a recipe's build function returns: the split data, the brief and the pipelines.

    `answers` holds, for every test row, the id, the solution columns (and the group column
    for ranking) and `Usage`. `train`/`test` are exactly the public files.
    """

    train: pd.DataFrame
    test: pd.DataFrame
    answers: pd.DataFrame
    spec: Spec
    brief: Brief
    baseline: Contender
    reference: Contender
    field: tuple[Contender, ...]
    solution_columns: tuple[str, ...] | None = None  # default: the submission columns
    metric_params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    extra_public: Mapping[str, bytes] = dataclasses.field(default_factory=dict)
    split: SplitInfo = dataclasses.field(default_factory=lambda: SplitInfo("random"))
    # Predictions that take no skill beyond the generic constants (e.g. the seasonal naive
    # forecast): like the constants, they must stay two SE below the bronze line.
    trivial: tuple[Contender, ...] = ()
    # The starter's validation cell for projects the generic schemes don't fit (e.g. implicit
    # feedback, where train holds no target): code run after the metric's `score` function
    # and the `baseline` function; it must print "validation <metric>: <value>".
    validation_code: str | None = None


BuildFn = Callable[[], Project]


@dataclass(frozen=True)
class Recipe:
    """A registered recipe: static metadata plus the function that builds its data."""

    id: str
    title: str
    task: str
    metric: str
    level: int
    skills: tuple[str, ...]
    apply_elsewhere: tuple[str, ...]
    summary: str
    gold_margin: float
    version: str
    build: BuildFn
    # The files the recipe is made of (a project folder's); a build is current only while
    # they are unchanged. Empty: the source file of `build`.
    files: tuple[Path, ...] = ()
    # Where its measured numbers are kept: None for the catalog's stored.json; a host's
    # projects keep theirs in a file of their own (registry.add_projects_dir).
    stored: Path | None = None

    def margin(self, entry: StoredEntry | None) -> float:
        """The gold margin in force: the stored one (raised to one SE by the build), else
        the recipe's own."""
        return entry.gold_margin if entry and entry.gold_margin is not None else self.gold_margin

    def meta(self, entry: StoredEntry | None = None) -> ProjectMeta:
        """The metadata, with the stored numbers of `entry` (none: nothing measured yet)."""
        return ProjectMeta(
            id=self.id,
            title=self.title,
            task=self.task,
            metric=self.metric,
            level=self.level,
            skills=self.skills,
            apply_elsewhere=self.apply_elsewhere,
            summary=self.summary,
            thresholds=entry.thresholds if entry else Thresholds(),
            gold_margin=self.margin(entry),
            public_thresholds=entry.public_thresholds if entry else Thresholds(),
            score_se=entry.se if entry else None,
        )
