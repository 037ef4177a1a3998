"""Forecasts split and read time from a time column, never from the ids (a permutation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trackrecord.catalog.forecast import naive, naive_forecasts, temporal


def _series(n: int = 400) -> pd.DataFrame:
    dates = pd.date_range("2000-01-01", periods=n, freq="D")
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "date": dates.strftime("%Y-%m-%d"),
            "t": np.arange(n),
            "y": np.arange(n) % 7 * 10.0 + rng.normal(0, 0.1, n),
        }
    )


def test_temporal_splits_on_the_time_column_with_permuted_ids() -> None:
    shuffled = _series().sample(frac=1.0, random_state=1)  # source order is not time order
    data = temporal(shuffled, time="date", metric="mae", target="y", test_rows=100)
    assert data.spec.time_column == "date" and data.split.kind == "time"
    assert data.train["date"].max() < data.test["date"].min()
    assert len(data.test) == 100
    # the answer key is in time order, and public is the earlier 30% of the horizon
    key = data.answers.merge(data.test[["id", "date"]], on="id", sort=False)
    assert key["date"].is_monotonic_increasing
    assert set(key["Usage"].iloc[:30]) == {"Public"} and set(key["Usage"].iloc[30:]) == {"Private"}
    # ids say nothing about time
    rho = data.train["id"].corr(data.train["t"], method="spearman")
    assert abs(rho) < 0.2


def test_temporal_refuses_a_time_column_with_ties() -> None:
    df = _series()
    df["month"] = df["date"].str[:7]
    with pytest.raises(ValueError, match="own time"):
        temporal(df, time="month", metric="mae", target="y", test_rows=100)


def test_naive_forecasts_follow_time_not_row_or_id_order() -> None:
    data = temporal(_series(), time="date", metric="mae", target="y", test_rows=70)
    train = data.train.sample(frac=1.0, random_state=2)
    test = data.test.sample(frac=1.0, random_state=3)
    history = data.train.sort_values("date")["y"].to_numpy()
    pred = pd.Series(naive(7)(train, test, data.spec), index=test["date"].to_numpy())
    ordered = pred.sort_index().to_numpy()
    assert np.allclose(ordered, np.resize(history[-7:], 70))
    last = naive_forecasts((7,))[0].predict(train, test, data.spec)
    assert np.allclose(last["y"], history[-1])
