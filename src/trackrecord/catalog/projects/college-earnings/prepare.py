"""What do a college's former students earn? The US College Scorecard as causaldata's
`scorecard` ships it: one row per institution (its latest year with an earnings figure),
with its name, state and the kind of degree it mostly awards. Target: the median earnings
of its former students ten years after they entered. Split at random by institution."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import RidgeCV
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline

from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import SEED, log_target, regression_field
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

DEGREES = {1: "under 2 years", 2: "2 years", 3: "4 years"}
TEXT = "name"


def load() -> pd.DataFrame:
    raw = rdata("causaldata", "scorecard").dropna(subset=["earnings_med"])
    # one row per institution: the latest year that has an earnings figure
    raw = raw.sort_values(["unitid", "year"], kind="stable").groupby("unitid").tail(1)
    out = pd.DataFrame(
        {
            "name": raw["inst_name"].astype(str),
            "state": raw["state_abbr"].astype(str),
            "degree": raw["pred_degree_awarded_ipeds"].map(DEGREES),
            "year": raw["year"].astype(int),
            "earnings": raw["earnings_med"].astype(float),
        }
    )
    return with_ids(out.reset_index(drop=True), seed=2014)


def _words() -> Any:
    return TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True)


def _chars() -> Any:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 4),
        min_df=3,
        max_features=20000,
        sublinear_tf=True,
    )


def _on_name(vectorizer: Any, model: Any) -> Any:
    return lambda X: log_target(
        lambda _: Pipeline(
            [
                ("text", ColumnTransformer([("v", vectorizer(), TEXT)])),
                ("model", model()),
            ]
        )
    )(X)


def _ridge() -> Any:
    return RidgeCV(alphas=np.logspace(-2, 2, 9))


def field(data: Prepared) -> Sequence[Contender]:
    """The standard regressors on every column (the name one-hot where it repeats), then
    regressors on the name as text; all fitted on log earnings."""
    text: list[Contender] = [
        SklearnContender("TF-IDF words of the name + ridge, log target", _on_name(_words, _ridge)),
        SklearnContender("char n-grams of the name + ridge, log target", _on_name(_chars, _ridge)),
        SklearnContender(
            "TF-IDF words of the name + k-nearest neighbours, log target",
            _on_name(_words, lambda: KNeighborsRegressor(15, metric="cosine")),
        ),
        SklearnContender(
            "TF-IDF of the name + SVD(50) + HistGB, log target",
            _on_name(
                lambda: make_pipeline(_words(), TruncatedSVD(50, random_state=SEED)),
                lambda: HistGradientBoostingRegressor(random_state=SEED),
            ),
        ),
    ]
    return (*regression_field(len(data.train), log=True), *text)
