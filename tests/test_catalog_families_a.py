"""The plumbing of the survival, multilabel and ordinal project families: splits, answer
keys and the pipelines of their fields, on small synthetic tables whose answers are known."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from trackrecord.bundle import USAGE
from trackrecord.catalog import survival
from trackrecord.catalog.splits import ID, with_ids
from trackrecord.metrics import InputKind, get_metric

CINDEX = get_metric("concordance_index")
T = TypeVar("T")


def _one_thread(items: Iterable[T]) -> Iterator[T]:
    """Each item handled with one BLAS/OpenMP thread, as the catalog build fits the field:
    on a busy machine more threads are far slower."""
    with threadpool_limits(limits=1):
        yield from items


def _survival_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Exponential event times whose hazard grows with `x`; random censoring; a `year`."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    group = rng.choice(["a", "b"], size=n)
    hazard = np.exp(1.2 * x + 0.5 * (group == "b"))
    event_time = rng.exponential(1 / hazard)
    censor_time = rng.exponential(1.5, size=n)
    return with_ids(
        pd.DataFrame(
            {
                "x": x,
                "group": group,
                "noise": rng.normal(size=n),
                "year": rng.integers(1990, 2000, size=n),
                "time": np.minimum(event_time, censor_time),
                "event": (event_time <= censor_time).astype(int),
            }
        )
    )


# --- survival: the split and the answer key -----------------------------------------------


def test_survival_split_keeps_the_answers_out_of_test() -> None:
    df = _survival_table()
    data = survival.prepare(df, time="time", event="event", seed=1, test_size=0.4)
    assert data.spec.kind is InputKind.RISK
    assert data.spec.target_columns == (survival.RISK,)
    assert data.solution_columns == ("time", "event")
    assert {"time", "event"} <= set(data.train.columns)
    assert not {"time", "event"} & set(data.test.columns)
    assert list(data.answers.columns) == [ID, "time", "event", USAGE]
    assert len(data.test) == len(data.answers) == 240
    assert data.answers[ID].tolist() == data.test[ID].tolist()
    # every answer is the row's own (time, event)
    truth = df.set_index(ID).loc[data.answers[ID], ["time", "event"]].to_numpy()
    assert np.allclose(truth, data.answers[["time", "event"]].to_numpy())
    # stratified on the event: each part keeps the event rate
    rate = df["event"].mean()
    for part in (data.train["event"], data.answers["event"]):
        assert abs(part.mean() - rate) < 0.02
    public = data.answers[USAGE] == "Public"
    assert abs(public.mean() - 0.3) < 0.01


def test_survival_time_split_puts_the_later_rows_in_test() -> None:
    df = _survival_table()
    data = survival.prepare(
        df, time="time", event="event", seed=1, test_size=0.3, split="time", order="year"
    )
    assert data.split.kind == "time" and data.split.column == "year"
    assert data.spec.time_column == "year"
    assert data.train["year"].max() < data.test["year"].min()
    # the public rows are the earlier part of the test period
    years = data.test.set_index(ID).loc[data.answers[ID], "year"].to_numpy()
    assert (np.diff(years) >= 0).all(), "the answer key is in time order"
    public = (data.answers[USAGE] == "Public").to_numpy()
    assert years[public].max() <= years[~public].min()


def test_survival_prepare_refuses_bad_tables() -> None:
    df = _survival_table()
    with pytest.raises(ValueError, match="0 \\(censored\\) and 1"):
        survival.prepare(df.assign(event=2), time="time", event="event", seed=1)
    with pytest.raises(ValueError, match="non-negative"):
        survival.prepare(df.assign(time=-1.0), time="time", event="event", seed=1)
    with pytest.raises(ValueError, match="with_ids"):
        survival.prepare(df.drop(columns=[ID]), time="time", event="event", seed=1)
    with pytest.raises(ValueError, match="order column"):
        survival.prepare(df, time="time", event="event", seed=1, split="time")


# --- survival: what the models fit on --------------------------------------------------------


def test_nelson_aalen_by_hand() -> None:
    # times 1, 2, 2, 3 (censored), 4: at t=1 one event of 5 at risk, at t=2 two of 4, t=4 one of 1
    time = [1, 2, 2, 3, 4]
    event = [1, 1, 1, 0, 1]
    hazard = survival.nelson_aalen(time, event)
    expected = [0.0, 1 / 5, 1 / 5 + 2 / 4, 1 / 5 + 2 / 4, 1 / 5 + 2 / 4 + 1]
    assert np.allclose(hazard([0.5, 1, 2.5, 3, 4]), expected)


def test_martingale_residuals_sum_to_zero_and_rank_early_events_high() -> None:
    df = _survival_table()
    residual = survival.martingale_residuals(df["time"], df["event"])
    assert abs(residual.sum()) < 1e-9  # Nelson-Aalen's hazard balances the events exactly
    assert residual.max() <= 1.0
    # an event at the earliest time has the largest residual of all
    first = df.index[df["event"] == 1][np.argmin(df.loc[df["event"] == 1, "time"])]
    assert residual[first] == residual.max()


def test_cox_model_matches_statsmodels() -> None:
    from statsmodels.duration.hazard_regression import PHReg

    df = _survival_table(n=400, seed=3)
    X = np.column_stack([df["x"], (df["group"] == "b").astype(float), df["noise"]])
    ours = survival.CoxModel(alpha=1e-8).fit(X, df["time"], df["event"]).coef_
    theirs = PHReg(df["time"], X, status=df["event"], ties="breslow").fit().params
    assert np.allclose(ours, theirs, atol=1e-3)
    assert abs(ours[0] - 1.2) < 0.25  # the simulated effect is recovered
    # a ridge penalty shrinks every coefficient towards 0
    shrunk = survival.CoxModel(alpha=200.0).fit(X, df["time"], df["event"]).coef_
    assert np.all(np.abs(shrunk) < np.abs(ours) + 1e-9)


def test_survival_field_ranks_risk_and_the_constant_is_a_coin_toss() -> None:
    data = survival.prepare(_survival_table(n=800), time="time", event="event", seed=2)
    truth = data.answers[["time", "event"]].to_numpy()
    scores = {}
    for contender in _one_thread(survival.survival_field("time", "event")):
        sub = contender.predict(data.train, data.test, data.spec)
        assert list(sub.columns) == [ID, survival.RISK]
        assert sub[ID].tolist() == data.test[ID].tolist()
        scores[contender.name] = CINDEX(truth, sub[survival.RISK].to_numpy())
    assert scores["constant risk"] == 0.5
    assert len(scores) >= 10
    # the simulated hazard is log-linear: Cox ranks as well as the true hazard does
    oracle = CINDEX(truth, 1.2 * data.test["x"] + 0.5 * (data.test["group"] == "b"))
    assert scores["Cox proportional hazards (light ridge)"] > oracle - 0.01
    assert scores["linear regression on log time (ignores censoring)"] < oracle
    assert min(v for k, v in scores.items() if k != "constant risk") > 0.6


# --- ordinal: grades kept in order ---------------------------------------------------------


def test_nearest_grade_moves_values_onto_the_scale() -> None:
    from trackrecord.catalog.ordinal import nearest_grade

    grades = [0, 2, 4, 6, 8, 10]  # A-level points: even numbers only
    got = nearest_grade([-3.0, 0.9, 1.0, 1.1, 5.2, 9.9, 14.0], grades)
    assert got.tolist() == [0, 0, 0, 2, 6, 10, 10]  # a tie (1.0) goes to the lower grade


def test_rounded_regressor_predicts_only_seen_grades_and_beats_classes() -> None:
    from trackrecord.catalog.ordinal import RoundedRegressor, ordinal_field
    from trackrecord.catalog.prepare import supervised

    rng = np.random.default_rng(5)
    x = rng.normal(size=500)
    grade = np.clip(np.round(5 + 2.0 * x + rng.normal(scale=1.2, size=500)), 0, 10)
    df = with_ids(pd.DataFrame({"x": x, "other": rng.normal(size=500), "grade": grade}))
    df["grade"] = df["grade"].astype(int)
    from sklearn.linear_model import LinearRegression

    model = RoundedRegressor(LinearRegression()).fit(df[["x"]], df["grade"])
    assert set(model.predict(df[["x"]])) <= set(df["grade"])
    data = supervised(df, metric="qwk", target="grade", test_size=0.4, seed=1)
    kappa = get_metric("quadratic_weighted_kappa")
    truth = data.answers["grade"].astype(int).to_numpy()
    scores = {}
    for contender in _one_thread(ordinal_field()):
        sub = contender.predict(data.train, data.test, data.spec)
        assert sub["grade"].isin(df["grade"]).all(), contender.name
        scores[contender.name] = kappa(truth, sub["grade"].to_numpy())
    assert scores["dummy: the most frequent grade"] == 0.0
    # a linear grade: the rounded ridge keeps the order a multinomial classifier throws away
    rounded = scores["ridge regression, rounded to a grade"]
    assert rounded > scores["logistic regression (grades as classes)"]
    assert rounded > 0.8


# --- multilabel: several 0/1 columns per row ---------------------------------------------


def _multilabel_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Three labels: two driven by x (one through a threshold), one rare and random."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    return with_ids(
        pd.DataFrame(
            {
                "x": x,
                "z": z,
                "score": np.round(x * 2 + 3),
                "big": (x + 0.3 * rng.normal(size=n) > 0).astype(int),
                "small": (x - z + 0.3 * rng.normal(size=n) < -0.5).astype(int),
                "rare": (rng.random(n) < 0.1).astype(int),
            }
        )
    )


LABELS = ["big", "small", "rare"]


def test_multilabel_split_keeps_labels_out_of_test() -> None:
    from trackrecord.catalog import multilabel

    df = _multilabel_table()
    data = multilabel.prepare(
        df, labels=LABELS, metric="hamming_loss", seed=1, test_size=0.4, train_only=["score"]
    )
    assert data.spec.kind is InputKind.MULTILABEL
    assert data.spec.target_columns == tuple(LABELS) == data.solution_columns
    assert set(LABELS) | {"score"} <= set(data.train.columns)
    assert not (set(LABELS) | {"score"}) & set(data.test.columns)
    assert list(data.answers.columns) == [ID, *LABELS, USAGE]
    truth = df.set_index(ID).loc[data.answers[ID], LABELS].to_numpy()
    assert (truth == data.answers[LABELS].to_numpy()).all()
    assert len(data.test) == 240 and abs((data.answers[USAGE] == "Public").mean() - 0.3) < 0.01


def test_multilabel_prepare_refuses_bad_tables() -> None:
    from trackrecord.catalog import multilabel

    df = _multilabel_table()
    with pytest.raises(ValueError, match="only 0 and 1"):
        multilabel.prepare(df.assign(big=2), labels=LABELS, metric="hamming_loss", seed=1)
    with pytest.raises(ValueError, match="at least two"):
        multilabel.prepare(df, labels=["big"], metric="hamming_loss", seed=1)
    with pytest.raises(ValueError, match="multilabel table"):
        multilabel.prepare(df, labels=LABELS, metric="accuracy", seed=1)


def test_multilabel_field_predicts_every_label_and_beats_no_label() -> None:
    from trackrecord.catalog import multilabel

    data = multilabel.prepare(
        _multilabel_table(), labels=LABELS, metric="hamming_loss", seed=2, train_only=["score"]
    )
    hamming = get_metric("hamming_loss")
    truth = data.answers[LABELS].to_numpy()
    scores = {}
    for contender in _one_thread(multilabel.multilabel_field()):
        sub = contender.predict(data.train, data.test, data.spec)
        assert list(sub.columns) == [ID, *LABELS], contender.name
        assert sub[LABELS].isin([0, 1]).all().all(), contender.name
        scores[contender.name] = hamming(truth, sub[LABELS].to_numpy())
    assert len(scores) >= 10
    nothing = scores["constant: no label at all"]
    assert nothing == pytest.approx(truth.mean())  # every 1 in the key is one wrong cell
    assert scores["logistic regression per label"] < nothing - 0.15
    assert scores["random forest, all labels"] < nothing - 0.1
