"""Stated car choices (Ecdat `Car`, McFadden and Train 2000) as a ranking task: each choice
situation (a query) offers six hypothetical cars; the one the respondent picked is the
relevant item. Whole situations are test queries; NDCG over the six cars."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.fields import SEED
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata

QUERY = "situation"
PERSON = ["college", "hsg2", "coml5"]
CATEGORIES = ["type", "fuel"]
NUMERIC = ["price", "range", "acc", "speed", "pollution", "size", "space", "cost", "station"]
SEED_SPLIT = 149


def long_table() -> pd.DataFrame:
    """One row per (situation, car): the respondent's traits, the car's slot in the
    questionnaire (1-6) and attributes, and `chosen` (1 for the car picked)."""
    wide = rdata("Ecdat", "Car")
    # Situation numbers are a seeded permutation: never the row's position in the source.
    rng = np.random.default_rng(splits.seed_for(SEED_SPLIT))
    wide[QUERY] = 1 + rng.permutation(len(wide))
    parts = []
    for slot in range(1, 7):
        part = wide[[QUERY, *PERSON]].copy()
        part["slot"] = slot
        for name in [*CATEGORIES, *NUMERIC]:
            part[name] = wide[f"{name}{slot}"]
        part["chosen"] = (wide["choice"] == f"choice{slot}").astype(int)
        parts.append(part)
    return pd.concat(parts).sort_values([QUERY, "slot"]).reset_index(drop=True)


def prepare() -> Prepared:
    df = splits.with_ids(long_table())
    # 40% of the 4,654 situations are test queries: about 1,300 private ones.
    split = splits.group_split(df, group=QUERY, test_size=0.4, seed=SEED_SPLIT)
    usage = splits.usage(split.test, seed=SEED_SPLIT, group=QUERY)
    return assemble(
        split,
        usage,
        metric="ndcg_at_k",
        target="chosen",
        group=QUERY,
        prediction="score",
        split_info=SplitInfo("group", QUERY),
    )


# The field ---------------------------------------------------------------------------------

Predict = Callable[[pd.DataFrame, pd.DataFrame, Spec], Any]


def _design(df: pd.DataFrame, *, relative: bool, slot: bool, person: bool) -> pd.DataFrame:
    """Numeric attributes (raw, or minus the situation's mean), one-hot categories, and
    optionally slot dummies and the respondent's traits times each category."""
    X = pd.get_dummies(df[CATEGORIES].astype(str)).astype(float)
    if slot:
        X = X.join(pd.get_dummies(df["slot"].astype(str), prefix="slot").astype(float))
    for c in NUMERIC:
        X[c] = df[c] - df.groupby(QUERY)[c].transform("mean") if relative else df[c]
    if person:
        dummies = [c for c in X.columns if c.startswith(("type_", "fuel_"))]
        for p in PERSON:
            for c in dummies:
                X[f"{p}*{c}"] = df[p] * X[c]
    return X


def _pointwise(make: Callable[[], Any], **design: bool) -> Predict:
    """A classifier of chosen / not chosen, one car at a time; its P(chosen) is the score."""

    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        A = _design(train, **design)
        B = _design(test, **design).reindex(columns=A.columns, fill_value=0.0)
        model = make().fit(A, train[spec.target])
        return model.predict_proba(B)[:, 1]

    return predict


def conditional_logit(l2: float, **design: bool) -> Predict:
    """Utilities w.x fitted by the likelihood of the chosen car under a softmax within each
    situation (McFadden's conditional logit), with a ridge penalty l2 * |w|^2."""

    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        A = _design(train, **design)
        B = _design(test, **design).reindex(columns=A.columns, fill_value=0.0)
        mu, sd = A.mean(), A.std().replace(0.0, 1.0)
        XA, XB = ((A - mu) / sd).to_numpy(), ((B - mu) / sd).to_numpy()
        codes = np.unique(train[QUERY].to_numpy(), return_inverse=True)[1]
        y, n = train[spec.target].to_numpy(float), int(codes.max()) + 1

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            u = XA @ w
            top = np.full(n, -np.inf)
            np.maximum.at(top, codes, u)
            e = np.exp(u - top[codes])
            total = np.bincount(codes, e, n)
            p = e / total[codes]
            ll = float(y @ (u - top[codes]) - np.log(total).sum())
            return -ll + l2 * float(w @ w), -(XA.T @ (y - p)) + 2 * l2 * w

        w = minimize(loss, np.zeros(XA.shape[1]), jac=True, method="L-BFGS-B").x
        return XB @ w

    return predict


def _best_on(column: str, *, low: bool) -> Predict:
    return lambda tr, te, s: (-1.0 if low else 1.0) * te[column].to_numpy(float)


def _logistic() -> Any:
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))


def field(data: Prepared) -> Sequence[Contender]:
    plain = {"relative": False, "slot": False, "person": False}
    rel_slot = {"relative": True, "slot": True, "person": False}
    everything = {"relative": True, "slot": True, "person": True}
    return (
        FunctionContender("cheapest car first", _best_on("price", low=True)),
        FunctionContender("longest range first", _best_on("range", low=False)),
        FunctionContender("logistic regression, raw attributes", _pointwise(_logistic, **plain)),
        FunctionContender(
            "logistic regression, attributes vs the situation + slot",
            _pointwise(_logistic, **rel_slot),
        ),
        FunctionContender(
            "logistic regression, + respondent x category",
            _pointwise(_logistic, **everything),
        ),
        FunctionContender(
            "k nearest neighbours (k=50), scaled",
            _pointwise(
                lambda: make_pipeline(StandardScaler(), KNeighborsClassifier(50)), **rel_slot
            ),
        ),
        FunctionContender(
            "random forest",
            _pointwise(
                lambda: RandomForestClassifier(
                    300, min_samples_leaf=20, random_state=SEED, n_jobs=1
                ),
                **rel_slot,
            ),
        ),
        FunctionContender(
            "gradient boosting",
            _pointwise(
                lambda: HistGradientBoostingClassifier(
                    max_iter=300, learning_rate=0.05, random_state=SEED
                ),
                **rel_slot,
            ),
        ),
        FunctionContender(
            "conditional logit, no slot",
            conditional_logit(1.0, relative=True, slot=False, person=False),
        ),
        FunctionContender(
            "conditional logit, + respondent x category", conditional_logit(1.0, **everything)
        ),
    )
