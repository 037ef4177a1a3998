"""Shared pieces of the recommendation recipes: user/item bias models (a ridge regression on
one-hot user and item ids), a matrix factorization of what the biases leave, and the field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from trackrecord.catalog.contenders import FunctionContender, SklearnContender
from trackrecord.catalog.fields import SEED, Make
from trackrecord.catalog.model import Contender, Spec


def biases(alpha: float) -> Make:
    """rating ~ mean + user bias + item bias (+ one-hot of any other columns), ridge-shrunk."""
    return lambda X: make_pipeline(
        OneHotEncoder(handle_unknown="ignore"), Ridge(alpha=alpha, solver="sparse_cg")
    )


def _mean_by(key: str) -> Any:
    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        means = train.groupby(key)[spec.target].mean()
        return test[key].map(means).fillna(train[spec.target].mean()).to_numpy()

    return predict


def _popularity(item: str) -> Any:
    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        counts = train[item].value_counts()
        return test[item].map(counts).fillna(0).to_numpy(dtype=float)

    return predict


@dataclass(frozen=True)
class Factorized:
    """Biases, then a rank-`k` SVD of the residual user x item matrix."""

    user: str
    item: str
    k: int
    alpha: float = 10.0

    def __call__(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        cols = [self.user, self.item]
        base = biases(self.alpha)(train[cols]).fit(train[cols], train[spec.target])
        resid = train[spec.target].to_numpy(dtype=float) - base.predict(train[cols])
        users = {u: i for i, u in enumerate(sorted(train[self.user].unique()))}
        items = {m: i for i, m in enumerate(sorted(train[self.item].unique()))}
        rows = train[self.user].map(users).to_numpy()
        matrix = sparse.csr_matrix((resid, (rows, train[self.item].map(items).to_numpy())))
        svd = TruncatedSVD(self.k, random_state=SEED)
        user_f = svd.fit_transform(matrix)
        item_f = svd.components_.T
        u = test[self.user].map(users)
        m = test[self.item].map(items)
        known = (u.notna() & m.notna()).to_numpy()
        extra = np.zeros(len(test))
        ui, mi = u[known].astype(int).to_numpy(), m[known].astype(int).to_numpy()
        extra[known] = np.einsum("ij,ij->i", user_f[ui], item_f[mi])
        return base.predict(test[cols]) + extra


def _stats_model(user: str, item: str, features: Sequence[str]) -> Any:
    def predict(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        def stats(frame: pd.DataFrame) -> pd.DataFrame:
            out = frame[list(features)].copy()
            for key in (user, item):
                grouped = train.groupby(key)[spec.target]
                out[f"{key}_mean"] = frame[key].map(grouped.mean())
                out[f"{key}_count"] = frame[key].map(grouped.size()).fillna(0)
            return out

        model = HistGradientBoostingRegressor(max_iter=100, random_state=SEED)
        model.fit(stats(train), train[spec.target])
        return model.predict(stats(test))

    return predict


def recsys_field(
    user: str, item: str, numeric: Sequence[str], *, ranking: bool = False, target: str = "rating"
) -> tuple[Contender, ...]:
    """Standard recommenders for explicit ratings (plus popularity when ranking); `target`
    names what the models learn from (the spec's target column)."""
    ids = [user, item]
    popular = FunctionContender(f"popularity (ratings per {item})", _popularity(item))
    return (
        *((popular,) if ranking else ()),
        FunctionContender("global mean", lambda tr, te, s: np.full(len(te), tr[s.target].mean())),
        FunctionContender(f"mean {target} per {user}", _mean_by(user)),
        FunctionContender(f"mean {target} per {item}", _mean_by(item)),
        SklearnContender("user + item biases (ridge, alpha=1)", biases(1.0), ids),
        SklearnContender("user + item biases (ridge, alpha=10)", biases(10.0), ids),
        FunctionContender("biases + SVD of residuals (k=10)", Factorized(user, item, 10)),
        FunctionContender("biases + SVD of residuals (k=40)", Factorized(user, item, 40)),
        FunctionContender(
            "gradient boosting on user and item statistics", _stats_model(user, item, numeric)
        ),
    )
