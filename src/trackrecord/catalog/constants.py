"""Predictions that take no skill: what "doing nothing" scores on each project.

Nothing may earn bronze for nothing (DESIGN.md, rule 1): the build scores these beside the
sample submission, and the rules require every one of them to stay two standard errors
below the baseline on the private split. Each is the best constant of its kind for the
usual metrics: the majority class for accuracy and macro F1 (that is the sample submission),
every row positive (binary labels) and every label on (multilabel) for F1, which counts the
positive class only, the training class frequencies for log loss, the training mean
(squared errors) and median (absolute errors), and the last observed value when the rows
have a time order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackrecord.catalog.contenders import submission_frame
from trackrecord.catalog.model import Project
from trackrecord.metrics import InputKind

Submission = tuple[str, pd.DataFrame]


def _probabilities(train: pd.DataFrame, test: pd.DataFrame, project: Project) -> list[Submission]:
    spec = project.spec
    assert spec.labels is not None
    shares = train[spec.target].astype(str).value_counts(normalize=True)
    freq = np.array([float(shares.get(label, 0.0)) for label in spec.labels])
    if len(spec.labels) == 2:
        values: np.ndarray = np.full(len(test), freq[1])
    else:
        values = np.tile(freq, (len(test), 1))
    return [
        (
            "constant: training class frequencies",
            submission_frame(test[spec.id_column], values, spec),
        )
    ]


def _values(train: pd.DataFrame, test: pd.DataFrame, project: Project) -> list[Submission]:
    spec = project.spec
    y = train[spec.target].astype(float)
    out = [
        ("constant: training mean", float(y.mean())),
        ("constant: training median", float(y.median())),
    ]
    if spec.time_column is not None and spec.time_column in train:
        last = train.sort_values(spec.time_column)[spec.target].iloc[-1]
        out.append(("constant: last observed value", float(last)))
    ids = test[spec.id_column]
    return [(name, submission_frame(ids, np.full(len(test), v), spec)) for name, v in out]


def _multilabel(train: pd.DataFrame, test: pd.DataFrame, project: Project) -> list[Submission]:
    spec = project.spec
    # the best constant for a 0/1 metric: each label's majority in train (frequencies are
    # not valid 0/1 predictions)
    shares = [float(train[c].mean()) if c in train else 0.0 for c in spec.target_columns]
    values = np.tile((np.array(shares) > 0.5).astype(int), (len(test), 1))
    ids = test[spec.id_column]
    # ... and for F1-like metrics, where predicting nothing scores 0: every label on
    on = np.ones((len(test), len(spec.target_columns)), dtype=int)
    return [
        ("constant: each label's training majority", submission_frame(ids, values, spec)),
        ("constant: every label on", submission_frame(ids, on, spec)),
    ]


def _labels(train: pd.DataFrame, test: pd.DataFrame, project: Project) -> list[Submission]:
    """Binary labels: the majority class is the sample submission; for F1, which counts the
    positive class only, the best constant is to flag every row."""
    spec = project.spec
    if spec.labels is None or len(spec.labels) != 2:
        return []
    values = np.full(len(test), spec.positive, dtype=object)
    return [("constant: every row positive", submission_frame(test[spec.id_column], values, spec))]


def constant_submissions(
    train: pd.DataFrame, test: pd.DataFrame, project: Project
) -> list[Submission]:
    """(name, submission) for each best constant of the project's prediction kind; the
    sample submission is scored separately. Kinds where every constant scores the same
    (scores within a query, cluster numbers, risks) have the sample submission only."""
    kind = project.spec.kind
    if project.spec.target not in train:  # unsupervised: nothing to take a constant from
        return []
    if kind is InputKind.LABELS:  # the sample submission is the most frequent training class
        return _labels(train, test, project)
    if kind is InputKind.PROBABILITIES:
        return _probabilities(train, test, project)
    if kind is InputKind.VALUES:
        return _values(train, test, project)
    if kind is InputKind.MULTILABEL:
        return _multilabel(train, test, project)
    return []
