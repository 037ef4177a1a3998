"""New York City departures of 2013 (nycflights13 `flights`) as a ranking task: each
airport-day is a query, 60 of its scheduled departures the candidates, and how late each
arrived (0 on time to 3 two hours or more, or cancelled) the relevance. Learn from January to
July; rank the flights of August to December. NDCG at 10 per airport-day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.fields import SEED
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import Split

QUERY = "airport_day"
PER_QUERY = 60  # departures sampled from each airport-day (about 300 are scheduled)
TEST_FROM = "2013-08-01"
OUTCOMES = ["dep_delay", "arr_delay"]  # train only: what happened
SEED_SPLIT = 151


def schedule() -> pd.DataFrame:
    """Every 2013 departure with what the schedule knows the evening before: times, carrier,
    plane, destination, the plane's legs that day, the airport's load; then its outcome."""
    f = rdata("nycflights13", "flights")
    f["date"] = pd.to_datetime(f[["year", "month", "day"]]).dt.strftime("%Y-%m-%d")
    f = f.sort_values(["date", "sched_dep_time", "carrier", "flight"], kind="stable")
    f[QUERY] = f["date"] + " " + f["origin"]
    # The plane's departures from New York that day, in order, and the hours since its
    # previous one: a late first leg makes a late second leg.
    plane = f.groupby(["date", "tailnum"])
    f["plane_leg"] = np.where(f["tailnum"].notna(), plane.cumcount() + 1, 1)
    minutes = f["hour"] * 60 + f["minute"]
    f["hours_since_plane_left"] = (
        minutes - minutes.groupby([f["date"], f["tailnum"]]).shift()
    ) / 60
    f["airport_hour_departures"] = f.groupby([QUERY, "hour"])["flight"].transform("size")
    f["airport_day_departures"] = f.groupby(QUERY)["flight"].transform("size")
    delay = f["arr_delay"]
    # Relevance: 0 on time (under 15 minutes late), 1 under an hour, 2 under two hours,
    # 3 two hours or more, or never arrived (cancelled or diverted).
    f["late"] = np.select([delay.isna(), delay >= 120, delay >= 60, delay >= 15], [3, 3, 2, 1], 0)
    keep = [QUERY, "date", "origin", "carrier", "flight", "tailnum", "dest", "distance"]
    keep += ["sched_dep_time", "sched_arr_time", "hour", "plane_leg", "hours_since_plane_left"]
    keep += ["airport_hour_departures", "airport_day_departures", *OUTCOMES, "late"]
    return f[keep]


def prepare() -> Prepared:
    f = schedule()
    rng = np.random.default_rng(splits.seed_for(SEED_SPLIT))
    shuffled = f.iloc[rng.permutation(len(f))]
    sample = shuffled[shuffled.groupby(QUERY).cumcount() < PER_QUERY]
    df = splits.with_ids(sample.sort_values([QUERY, "sched_dep_time", "flight"], kind="stable"))
    later = df["date"] >= TEST_FROM
    train, test = df[~later].sort_values(splits.ID), df[later].sort_values(splits.ID)
    split = Split(train, test.drop(columns=OUTCOMES))
    # Public/Private: whole airport-days drawn at random among the test days.
    usage = splits.usage(split.test, seed=SEED_SPLIT, group=QUERY)
    return assemble(
        split,
        usage,
        metric="ndcg_at_k",
        target="late",
        group=QUERY,
        metric_params={"k": 10},
        prediction="score",
        split_info=SplitInfo("time", "date"),
    )


# The field ---------------------------------------------------------------------------------

Predict = Callable[[pd.DataFrame, pd.DataFrame, Spec], Any]
NUMERIC = ["sched_dep_time", "sched_arr_time", "distance", "plane_leg", "hours_since_plane_left"]
NUMERIC += ["airport_hour_departures", "airport_day_departures"]


def features(df: pd.DataFrame, *, plane: bool = True) -> pd.DataFrame:
    """Schedule columns, carrier and destination as categories, the weekday, and where the
    flight sits in its airport-day."""
    cols = NUMERIC if plane else [c for c in NUMERIC if "plane" not in c]
    X = df[cols].copy()
    for c in ("carrier", "dest", "origin"):
        X[c] = df[c].astype(str).astype("category")
    X["weekday"] = pd.to_datetime(df["date"]).dt.day_of_week
    X["share_of_day_gone"] = df.groupby(QUERY)["sched_dep_time"].rank(pct=True)
    return X


def _aligned(train: pd.DataFrame, test: pd.DataFrame, **kw: bool) -> tuple[Any, Any]:
    A, B = features(train, **kw), features(test, **kw)
    for c in ("carrier", "dest", "origin"):
        cats = sorted(set(A[c].astype(str)) | set(B[c].astype(str)))
        A[c] = pd.Categorical(A[c].astype(str), categories=cats)
        B[c] = pd.Categorical(B[c].astype(str), categories=cats)
    return A, B


def within_day(train: pd.DataFrame, target: str = "late") -> pd.Series:
    """The target minus its airport-day's mean: a bad day lifts every flight alike."""
    return train[target] - train.groupby(QUERY)[target].transform("mean")


def _boosted(target: Callable[[pd.DataFrame], Any], *, plane: bool = True) -> Predict:
    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        A, B = _aligned(train, test, plane=plane)
        model = HistGradientBoostingRegressor(
            max_iter=200,
            learning_rate=0.05,
            min_samples_leaf=50,
            categorical_features="from_dtype",
            random_state=SEED,
        )
        return model.fit(A, target(train)).predict(B)

    return predict


def _late_by(*keys: str) -> Predict:
    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        means = train.groupby(list(keys))["late"].mean()
        found = test.join(means.rename("m"), on=list(keys))["m"]
        return found.fillna(train["late"].mean()).to_numpy()

    return predict


def _onehot(make: Callable[[], Any], target: Callable[[pd.DataFrame], Any]) -> Predict:
    """A linear model on one-hot hour, carrier, destination and plane leg."""
    cols = ["hour", "carrier", "dest", "origin", "plane_leg"]

    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        enc = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=20)
        model = make_pipeline(enc, make())
        model.fit(train[cols].astype(str), target(train))
        if hasattr(model, "predict_proba"):
            return model.predict_proba(test[cols].astype(str))[:, 1]
        return model.predict(test[cols].astype(str))

    return predict


def _numeric(make: Callable[[], Any]) -> Predict:
    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        A, B = train[NUMERIC].fillna(0), test[NUMERIC].fillna(0)
        return make().fit(A, within_day(train)).predict(B)

    return predict


def _classifier(threshold: int) -> Predict:
    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        A, B = _aligned(train, test)
        model = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, categorical_features="from_dtype", random_state=SEED
        )
        return model.fit(A, train["late"] >= threshold).predict_proba(B)[:, 1]

    return predict


def field(data: Prepared) -> Sequence[Contender]:
    return (
        FunctionContender("carrier's share of late flights", _late_by("carrier")),
        FunctionContender("mean lateness by hour and carrier", _late_by("hour", "carrier")),
        FunctionContender(
            "plane's leg of the day first",
            lambda tr, te, s: te["plane_leg"] * 10000 + te["sched_dep_time"],
        ),
        FunctionContender(
            "ridge on one-hot hour, carrier, destination, leg",
            _onehot(lambda: Ridge(alpha=10.0), within_day),
        ),
        FunctionContender(
            "logistic regression: late (15 min)?",
            _onehot(lambda: LogisticRegression(max_iter=2000), lambda tr: tr["late"] >= 1),
        ),
        FunctionContender(
            "k nearest neighbours (k=200), scaled schedule columns",
            _numeric(lambda: make_pipeline(StandardScaler(), KNeighborsRegressor(200))),
        ),
        FunctionContender(
            "random forest, schedule columns",
            _numeric(
                lambda: RandomForestRegressor(
                    100, min_samples_leaf=50, max_features=0.5, random_state=SEED, n_jobs=1
                )
            ),
        ),
        FunctionContender("gradient boosting, grade as is", _boosted(lambda tr: tr["late"])),
        FunctionContender(
            "gradient boosting, without the plane's legs",
            _boosted(within_day, plane=False),
        ),
        FunctionContender("gradient boosting classifier: an hour late?", _classifier(2)),
    )
