"""The engine on real knowledge-tracing data (../shared/data/kt/assistments09), kept small.

The full benchmark is bench/mastery.py; this only checks that the data format is read and
that the engine beats chance clearly under the online protocol on a slice of it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from trackrecord.mastery import Attempt, ItemInfo, MasteryModel, MasteryParams

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "kt" / "assistments09"


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    if not (DATA / "preprocessed_data_train.csv").exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and the shared data is missing: {DATA}")
        pytest.skip(f"shared data not found at {DATA} (fetch ../shared/data/kt/assistments09)")
    train = pd.read_csv(DATA / "preprocessed_data_train.csv", sep="\t")
    test = pd.read_csv(DATA / "preprocessed_data_test.csv", sep="\t")
    return train, test


def _items(frames: list[pd.DataFrame]) -> dict[str, ItemInfo]:
    z = np.load(DATA / "q_mat.npz")
    indptr, indices = z["indptr"], z["indices"]
    ids = pd.concat([f["item_id"] for f in frames]).unique()
    return {
        str(i): ItemInfo(str(i), tuple(str(s) for s in indices[indptr[i] : indptr[i + 1]]))
        for i in ids
    }


def _attempts(df: pd.DataFrame) -> list[Attempt]:
    rows = df[["user_id", "item_id", "timestamp", "correct"]].itertuples(index=False)
    return [Attempt(str(u), str(i), float(t), float(c)) for u, i, t, c in rows]


def test_engine_beats_chance_online_on_a_slice(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = frames
    train = train[train["user_id"].isin(train["user_id"].unique()[:400])]
    test = test[test["user_id"].isin(test["user_id"].unique()[:100])]
    model = MasteryModel(_items([train, test]), MasteryParams(outcome="binary"))
    model.fit(_attempts(train))
    preds = []
    for attempt in _attempts(test):
        preds.append(model.p_success(attempt.learner, attempt.item, now=attempt.time))
        model.update(attempt)
    assert roc_auc_score(test["correct"], preds) > 0.7
