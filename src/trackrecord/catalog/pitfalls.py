"""Helpers for the pitfall strand: projects whose lesson is a trap (leakage, drift, groups,
fairness, scale).

The splits here are the ones those traps need: a cut in time (the test set is the future),
whole groups on one side (the test set is new people), and the "as at decision time" view of
a test row (columns recorded after the outcome hold what was known when the prediction is
made). The field helpers make the traps visible on the leaderboard: a pipeline that trusts a
leaky column, or one that fits on a sample of a large table, is scored like any other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import (
    EstimatorFactory,
    SklearnContender,
    feature_columns,
    model_predictions,
    submission_frame,
)
from trackrecord.catalog.model import Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble


def time_prepared(
    df: pd.DataFrame,
    *,
    time: str,
    first_test: Any,
    metric: str,
    target: str,
    labels: Sequence[str] | None = None,
    clip_min: float | None = None,
    hidden: Sequence[str] = (),
) -> Prepared:
    """Rows with `time` >= `first_test` are the test set (the future), in time order; the
    earlier 30% of them are Public, the later 70% Private. `df` already has its ids."""
    later = df[time] >= first_test
    test = df[later].sort_values([time, splits.ID], kind="stable")
    split = splits.Split(df[~later].sort_values(splits.ID), test)
    return assemble(
        split,
        splits.usage(test, seed=0, ordered=True),
        metric=metric,
        target=target,
        labels=labels,
        clip_min=clip_min,
        hidden=hidden,
        split_info=SplitInfo("time", time),
    )


def group_prepared(
    df: pd.DataFrame,
    *,
    group: str,
    test_size: float,
    seed: int,
    metric: str,
    target: str,
    labels: Sequence[str] | None = None,
    clip_min: float | None = None,
) -> Prepared:
    """Whole groups go to train or test, and whole test groups to Public or Private: no
    group is ever on two sides. The group column stays in both files (for GroupKFold) and
    in the answer key (so the private split's groups can be counted and resampled)."""
    split = splits.group_split(df, group=group, test_size=test_size, seed=seed)
    usage = splits.usage(split.test, seed=seed, group=group)
    return assemble(
        split,
        usage,
        metric=metric,
        target=target,
        labels=labels,
        clip_min=clip_min,
        group=group,
        split_info=SplitInfo("group", group),
    )


def train_only(data: Prepared, columns: Sequence[str]) -> Prepared:
    """Keep `columns` in train.csv (e.g. a protected attribute, for auditing a model's
    errors group by group) but not in test.csv (the prediction may not use them)."""
    return dataclasses.replace(data, test=data.test.drop(columns=list(columns)))


def as_at_decision(test: pd.DataFrame, known: Mapping[str, Any]) -> pd.DataFrame:
    """The test rows as they were when the prediction is made: each column of `known`
    set to its value at that moment (a value, or the name of another column to copy)."""
    out = test.copy()
    for column, value in known.items():
        out[column] = out[value] if isinstance(value, str) and value in out else value
    return out


def transformed(
    contender: SklearnContender, fn: Callable[[pd.DataFrame], pd.DataFrame]
) -> SklearnContender:
    """The same pipeline after `fn` (e.g. a timestamp turned into calendar columns), which
    runs inside the model so that train and test get the very same transformation."""
    make = contender.make
    return SklearnContender(
        contender.name,
        lambda X: make_pipeline(FunctionTransformer(fn), make(fn(X))),
        contender.features,
    )


@dataclass(frozen=True)
class SampledContender:
    """Fit `make(X)` on a seeded sample of at most `rows` training rows: how a slow model
    is tried on a large table. The name says the sample size."""

    name: str
    make: EstimatorFactory
    rows: int
    features: Sequence[str] | None = None
    seed: int = 0

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        features = list(self.features or feature_columns(test, spec))
        if len(train) > self.rows:
            train = train.sample(n=self.rows, random_state=self.seed)
        model = self.make(train[features])
        model.fit(train[features], train[spec.target])
        values = model_predictions(model, test[features], spec)
        return submission_frame(test[spec.id_column], values, spec)


def sampled(contender: SklearnContender, rows: int, *, seed: int = 0) -> SampledContender:
    """The same pipeline fitted on a seeded sample of `rows` training rows, named so."""
    return SampledContender(
        f"{contender.name}, on a {rows:,}-row sample",
        contender.make,
        rows,
        contender.features,
        seed,
    )
