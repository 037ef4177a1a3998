"""Multilabel projects: several 0/1 label columns per row, the split and the field.

Each row may carry any number of the labels (a film can be a drama and a romance). The
answer key holds one 0/1 column per label, and so does a submission; metrics such as the
Hamming loss read the whole table at once. The field sets the two standard strategies side
by side: one binary model per label (binary relevance, blind to how labels go together)
and models that predict every label at once (trees, forests, nearest neighbours, a chain of
classifiers that feeds each label's prediction to the next).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import (
    ExtraTreesClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.tree import DecisionTreeClassifier

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import feature_columns, submission_frame
from trackrecord.catalog.fields import SEED, Make, for_trees, with_pre
from trackrecord.catalog.model import Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared
from trackrecord.catalog.splits import ID
from trackrecord.metrics import InputKind, get_metric


def prepare(
    df: pd.DataFrame,
    *,
    labels: Sequence[str],
    metric: str,
    seed: int,
    test_size: float = 0.35,
    hidden: Sequence[str] = (),
    train_only: Sequence[str] = (),
) -> Prepared:
    """A random train/test split of a table with ids (`splits.with_ids`) and one 0/1 column
    per label, then a random 30/70 Public/Private split. train.csv keeps the label columns
    (and the `train_only` ones, e.g. the ratings the labels were made from); test.csv has
    none of them. `hidden` columns are in neither file."""
    labels = list(labels)
    if get_metric(metric).kind is not InputKind.MULTILABEL:
        raise ValueError(f"{metric!r} does not read a multilabel table")
    if ID not in df:
        raise ValueError("give every row an id first (splits.with_ids)")
    if len(labels) < 2:
        raise ValueError("a multilabel project needs at least two label columns")
    bad = [c for c in labels if not df[c].isin([0, 1]).all()]
    if bad:
        raise ValueError(f"label columns must hold only 0 and 1: {bad}")
    table = df.astype({c: int for c in labels})
    parts = splits.random_split(table, test_size=test_size, seed=seed)
    spec = Spec(
        id_column=ID,
        target=labels[0],  # the first label; a submission has one column per label
        target_columns=tuple(labels),
        kind=InputKind.MULTILABEL,
    )
    return Prepared(
        train=parts.train.drop(columns=list(hidden)).reset_index(drop=True),
        test=parts.test.drop(columns=[*labels, *train_only, *hidden]).reset_index(drop=True),
        answers=splits.answers(parts.test, labels, splits.usage(parts.test, seed=seed)),
        spec=spec,
        solution_columns=tuple(labels),
        split=SplitInfo("random"),
    )


@dataclass(frozen=True)
class MultilabelContender:
    """Fit `make(X_train)` on the features (every public test column unless named) and the
    label table; submit its 0/1 predictions, one column per label."""

    name: str
    make: Make
    features: Sequence[str] | None = None

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        features = list(self.features or feature_columns(test, spec))
        labels = list(spec.target_columns)
        model = self.make(train[features])
        model.fit(train[features], train[labels].to_numpy(dtype=int))
        predicted = np.asarray(model.predict(test[features])).round().astype(int)
        return submission_frame(test[spec.id_column], predicted, spec)


def _per_label(model: Callable[[], Any]) -> Callable[[], Any]:
    return lambda: MultiOutputClassifier(model())


def multilabel_field(features: Sequence[str] | None = None) -> tuple[MultilabelContender, ...]:
    """Binary relevance (one model per label) beside models of all labels at once, on
    `features` (default: every public test column)."""
    forest: dict[str, Any] = {
        "n_estimators": 150,
        "min_samples_leaf": 2,
        "random_state": SEED,
        "n_jobs": 1,
    }
    entries: list[tuple[str, Make]] = [
        ("constant: no label at all", lambda X: _NoLabel()),
        (
            "logistic regression per label",
            with_pre(_per_label(lambda: LogisticRegression(max_iter=2000))),
        ),
        ("Gaussian naive Bayes per label", with_pre(_per_label(GaussianNB))),
        (
            "chain of logistic regressions",
            with_pre(lambda: ClassifierChain(LogisticRegression(max_iter=2000), random_state=SEED)),
        ),
        ("k-nearest neighbours (k=15), all labels", with_pre(lambda: KNeighborsClassifier(15))),
        (
            "decision tree (depth 8), all labels",
            for_trees(lambda: DecisionTreeClassifier(max_depth=8, random_state=SEED)),
        ),
        ("random forest, all labels", for_trees(lambda: RandomForestClassifier(**forest))),
        ("extra trees, all labels", for_trees(lambda: ExtraTreesClassifier(**forest))),
        (
            "gradient boosting (HistGB) per label",
            for_trees(
                _per_label(lambda: HistGradientBoostingClassifier(max_iter=150, random_state=SEED))
            ),
        ),
        (
            "neural network (one hidden layer), all labels",
            with_pre(
                lambda: MLPClassifier(
                    (64,), alpha=1e-3, max_iter=300, early_stopping=True, random_state=SEED
                )
            ),
        ),
    ]
    return tuple(MultilabelContender(name, make, features) for name, make in entries)


class _NoLabel:
    """Predicts 0 for every label: what the majority of every rare label says."""

    def fit(self, X: Any, y: Any) -> _NoLabel:
        self.width_ = np.asarray(y).shape[1]
        return self

    def predict(self, X: Any) -> Any:
        return np.zeros((len(X), self.width_), dtype=int)
