"""Survival projects: the split, the answer key and the field of pipelines.

A survival answer key has two columns per test row: the follow-up `time` and the `event`
flag (1: the event was seen at that time; 0: censored, the row was only known to be
event-free until then). A submission has one column, a risk score (higher = earlier event),
scored with Harrell's concordance index. train.csv keeps both columns; test.csv has neither.

The field fits every pipeline on the same public files a learner gets. Models that know
nothing of censoring (a logistic regression on the event flag, a regression on the time)
stand beside ones that do (Cox's partial likelihood, an exponential model with the time as
exposure, trees on martingale residuals), so the board shows what handling censoring buys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.ensemble import (
    ExtraTreesRegressor,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression, PoissonRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeRegressor

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import feature_columns, submission_frame
from trackrecord.catalog.fields import SEED, preprocessor
from trackrecord.catalog.model import Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared
from trackrecord.catalog.splits import ID, Split
from trackrecord.metrics import InputKind

RISK = "risk"  # the submission's one column
METRIC = "concordance_index"
SurvivalSplit = Literal["stratified", "time"]


def prepare(
    df: pd.DataFrame,
    *,
    time: str,
    event: str,
    seed: int,
    test_size: float = 0.35,
    split: SurvivalSplit = "stratified",
    order: str | None = None,
    hidden: Sequence[str] = (),
) -> Prepared:
    """Train/test and Public/Private for a survival table with ids (`splits.with_ids`).

    "stratified": a random `test_size` share of the rows, stratified on the event flag (so
    every part keeps the event rate), then 30/70 Public/Private stratified the same way.
    "time": the rows after the first `1 - test_size` share in `order` (e.g. the year of
    diagnosis) are the test set, in time order; its earlier 30% is Public. Rows sharing an
    `order` value stay on one side. `hidden` columns are dropped from both public files.
    """
    _check_table(df, time, event)
    if split == "time":
        if order is None:
            raise ValueError("a time split needs its order column")
        parts = _time_split(df, order=order, test_size=test_size)
        usage = splits.usage(parts.test, seed=seed, ordered=True)
        info = SplitInfo("time", order)
    else:
        parts = splits.random_split(df, test_size=test_size, seed=seed, stratify=event)
        usage = splits.usage(parts.test, seed=seed, stratify=event)
        info = SplitInfo("stratified")
    spec = Spec(
        id_column=ID,
        target=event,  # stratified folds split on it; the time is the other answer column
        target_columns=(RISK,),
        kind=InputKind.RISK,
        time_column=order if split == "time" else None,
    )
    return Prepared(
        train=parts.train.drop(columns=list(hidden)).reset_index(drop=True),
        test=parts.test.drop(columns=[time, event, *hidden]).reset_index(drop=True),
        answers=splits.answers(parts.test, [time, event], usage),
        spec=spec,
        solution_columns=(time, event),
        split=info,
    )


def _check_table(df: pd.DataFrame, time: str, event: str) -> None:
    if ID not in df:
        raise ValueError("give every row an id first (splits.with_ids)")
    if df[time].isna().any() or (df[time] < 0).any():
        raise ValueError(f"{time!r} must be a non-negative follow-up time on every row")
    if not df[event].isin([0, 1]).all():
        raise ValueError(f"{event!r} must hold only 0 (censored) and 1 (event)")


def _time_split(df: pd.DataFrame, *, order: str, test_size: float) -> Split:
    """The rows from the first `order` value past the `1 - test_size` quantile on; the test
    rows stay in time order (the answer key's order: earlier rows are Public)."""
    ordered = df.sort_values([order, ID], kind="stable")
    start = ordered[order].iloc[int(len(ordered) * (1 - test_size))]
    later = ordered[order] >= start
    return Split(ordered[~later].sort_values(ID), ordered[later])


# --- what censoring-aware models are fitted on ----------------------------------------------


def nelson_aalen(time: Any, event: Any) -> Callable[[Any], NDArray[np.float64]]:
    """The Nelson-Aalen cumulative hazard of (time, event), as a step function of time."""
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    grid, inverse = np.unique(t, return_inverse=True)
    deaths = np.bincount(inverse, weights=e, minlength=grid.size)
    leaving = np.bincount(inverse, minlength=grid.size)
    at_risk = leaving[::-1].cumsum()[::-1]  # rows with time >= each grid point
    hazard = np.cumsum(deaths / at_risk)

    def at(x: Any) -> NDArray[np.float64]:
        pos = np.searchsorted(grid, np.asarray(x, dtype=float), side="right") - 1
        out: NDArray[np.float64] = np.where(pos >= 0, hazard[np.maximum(pos, 0)], 0.0)
        return out

    return at


def martingale_residuals(time: Any, event: Any) -> NDArray[np.float64]:
    """event - H(time) under the Nelson-Aalen hazard of everyone: positive for rows whose
    event came sooner than the average hazard predicts, so a regression on it ranks risk."""
    hazard = nelson_aalen(time, event)
    out: NDArray[np.float64] = np.asarray(event, dtype=float) - hazard(time)
    return out


class CoxModel:
    """Cox's proportional hazards by penalized partial likelihood (Breslow ties), on
    numeric (already encoded and scaled) features: `predict` gives the log relative risk."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def fit(self, X: Any, time: Any, event: Any) -> CoxModel:
        from scipy.optimize import minimize

        x = np.asarray(X, dtype=float)
        t = np.asarray(time, dtype=float)
        e = np.asarray(event, dtype=float)
        order = np.argsort(-t, kind="stable")  # longest follow-up first: risk sets grow
        x, t, e = x[order], t[order], e[order]
        # Rows tied in time share one risk set: the cumulative sums up to the tie's end.
        last = np.searchsorted(-t, -t, side="right") - 1
        n = len(t)

        def loss(beta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
            eta = x @ beta
            shift = eta.max()
            w = np.exp(eta - shift)
            risk = np.cumsum(w)[last]
            weighted = np.cumsum(w[:, None] * x, axis=0)[last]
            value = -(e @ (eta - shift - np.log(risk))) / n
            grad = -(e @ (x - weighted / risk[:, None])) / n
            value += 0.5 * self.alpha * float(beta @ beta) / n
            return value, grad + self.alpha * beta / n

        start = np.zeros(x.shape[1])
        self.coef_ = minimize(loss, start, jac=True, method="L-BFGS-B").x
        return self

    def predict(self, X: Any) -> NDArray[np.float64]:
        out: NDArray[np.float64] = np.asarray(X, dtype=float) @ self.coef_
        return out


# --- the field ----------------------------------------------------------------------------

FitRisk = Callable[[pd.DataFrame, NDArray[np.float64], NDArray[np.float64], pd.DataFrame], Any]


@dataclass(frozen=True)
class RiskContender:
    """Fit on the features of train (every public test column unless named) and its
    (time, event) columns; submit a risk score per test row."""

    name: str
    fit_predict: FitRisk
    time: str
    event: str
    features: Sequence[str] | None = None

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        features = list(self.features or feature_columns(test, spec))
        time = train[self.time].to_numpy(dtype=float)
        event = train[self.event].to_numpy(dtype=float)
        risk = np.asarray(self.fit_predict(train[features], time, event, test[features]))
        return submission_frame(test[spec.id_column], risk.astype(float), spec)


def _encoded(model: Callable[[], Any], *, trees: bool = False) -> Callable[[pd.DataFrame], Any]:
    if trees:
        return lambda X: make_pipeline(preprocessor(X, encode="ordinal", scale=False), model())
    return lambda X: make_pipeline(preprocessor(X), model())


def _on_martingale(model: Callable[[], Any], *, trees: bool = True) -> FitRisk:
    make = _encoded(model, trees=trees)

    def fit_predict(X: pd.DataFrame, time: Any, event: Any, X_test: pd.DataFrame) -> Any:
        return make(X).fit(X, martingale_residuals(time, event)).predict(X_test)

    return fit_predict


def _cox(alpha: float) -> FitRisk:
    def fit_predict(X: pd.DataFrame, time: Any, event: Any, X_test: pd.DataFrame) -> Any:
        pre = preprocessor(X)
        model = CoxModel(alpha).fit(pre.fit_transform(X), time, event)
        return model.predict(pre.transform(X_test))

    return fit_predict


def _event_flag(X: pd.DataFrame, time: Any, event: Any, X_test: pd.DataFrame) -> Any:
    model = _encoded(lambda: LogisticRegression(max_iter=2000))(X)
    return model.fit(X, event.astype(int)).predict_proba(X_test)[:, 1]


def _log_time(X: pd.DataFrame, time: Any, event: Any, X_test: pd.DataFrame) -> Any:
    model = _encoded(LinearRegression)(X)
    return -model.fit(X, np.log1p(time)).predict(X_test)  # a shorter time is a higher risk


def _exponential(X: pd.DataFrame, time: Any, event: Any, X_test: pd.DataFrame) -> Any:
    # events per unit of follow-up, each row weighted by its follow-up: the exponential
    # model's likelihood, so censored rows count for the time they were watched
    exposure = np.maximum(time, 1e-9) / max(float(np.mean(time)), 1e-9)  # rates near 1
    model = _encoded(lambda: PoissonRegressor(alpha=1e-4, max_iter=1000))(X)
    model.fit(X, event / exposure, poissonregressor__sample_weight=exposure)
    return model.predict(X_test)


def _constant(X: pd.DataFrame, time: Any, event: Any, X_test: pd.DataFrame) -> Any:
    return np.zeros(len(X_test))


def survival_field(time: str, event: str) -> tuple[RiskContender, ...]:
    """The standard survival pipelines: censoring-blind shortcuts, Cox and exponential
    models, and tree ensembles on martingale residuals."""
    kw: dict[str, Any] = {"random_state": SEED}
    forest: dict[str, Any] = {"n_estimators": 200, "min_samples_leaf": 10, "n_jobs": 1, **kw}
    entries: list[tuple[str, FitRisk]] = [
        ("constant risk", _constant),
        ("logistic regression on the event flag (ignores time)", _event_flag),
        ("linear regression on log time (ignores censoring)", _log_time),
        ("exponential model (Poisson, time as exposure)", _exponential),
        ("Cox proportional hazards (light ridge)", _cox(1.0)),
        ("Cox proportional hazards (strong ridge)", _cox(30.0)),
        (
            "k-nearest neighbours on martingale residuals (k=50)",
            _on_martingale(lambda: KNeighborsRegressor(50), trees=False),
        ),
        (
            "decision tree on martingale residuals (depth 4)",
            _on_martingale(lambda: DecisionTreeRegressor(max_depth=4, min_samples_leaf=20, **kw)),
        ),
        (
            "random forest on martingale residuals",
            _on_martingale(lambda: RandomForestRegressor(**forest)),
        ),
        (
            "extra trees on martingale residuals",
            _on_martingale(lambda: ExtraTreesRegressor(**forest)),
        ),
        (
            "gradient boosting (HistGB) on martingale residuals",
            _on_martingale(
                lambda: HistGradientBoostingRegressor(
                    max_iter=150, learning_rate=0.05, max_depth=3, **kw
                )
            ),
        ),
    ]
    return tuple(RiskContender(name, fit, time, event) for name, fit in entries)
