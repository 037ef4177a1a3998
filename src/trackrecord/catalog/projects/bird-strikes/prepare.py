"""Bird strikes on US airliners reported to the FAA, 1990-1999 (openintro `birds`): did the
strike change the flight? Split in time: the reports from 1997 on are the test set. The field
reads the free-text remarks (missing remarks read as empty text), the other columns, or both."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import TruncatedSVD
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import preprocessor
from trackrecord.catalog.model import Contender, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

TEST_FROM = "1997-01-01"  # the last three years of reports are the future
TEXT = "remarks"
TABULAR = ["phase_of_flt", "time_of_day", "sky", "ac_mass", "num_engs", "height", "speed"]
TABULAR += ["birds_seen", "birds_struck"]


def strikes() -> pd.DataFrame:
    df = rdata("openintro", "birds")
    df["date"] = pd.to_datetime(df["date"], format="%m/%d/%Y %H:%M:%S").dt.strftime("%Y-%m-%d")
    df["affected"] = np.where(df["effect"].notna(), "yes", "no")
    keep = ["date", "operator", "atype", "ac_mass", "num_engs", "state", "phase_of_flt"]
    keep += ["time_of_day", "sky", "height", "speed", "species", "birds_seen", "birds_struck"]
    return df[[*keep, TEXT, "affected"]]


def prepare() -> Prepared:
    df = with_ids(strikes().sort_values("date", kind="stable"))
    split = splits.time_split(df, order="date", test_rows=int((df["date"] >= TEST_FROM).sum()))
    usage = splits.usage(split.test, seed=43, stratify="affected")
    return assemble(
        split,
        usage,
        metric="pr_auc",
        target="affected",
        labels=("no", "yes"),
        split_info=SplitInfo("time", "date"),
    )


def _fill(text: Any) -> Any:
    return text.fillna("")


def _text(vectorizer: Any) -> Any:
    """The remarks column, missing remarks as empty text, through `vectorizer`."""
    return make_pipeline(FunctionTransformer(_fill), vectorizer)


def _words() -> Any:
    return TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True)


def _on_text(vectorizer: Any, model: Any) -> Any:
    return lambda X: make_pipeline(ColumnTransformer([("t", _text(vectorizer), TEXT)]), model)


def _both(model: Any, *, svd: bool = False) -> Any:
    """Words of the remarks beside the encoded tabular columns."""

    def make(X: pd.DataFrame) -> Any:
        words = make_pipeline(_words(), TruncatedSVD(60, random_state=0)) if svd else _words()
        table = preprocessor(X[TABULAR])
        return make_pipeline(
            ColumnTransformer([("t", _text(words), TEXT), ("x", table, TABULAR)]), model
        )

    return make


def field(data: Prepared) -> Sequence[Contender]:
    def lr() -> Any:
        return LogisticRegression(C=4, max_iter=3000)

    def chars() -> Any:
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True)

    forest = RandomForestClassifier(200, min_samples_leaf=2, random_state=0, n_jobs=1)
    boosting = HistGradientBoostingClassifier(random_state=0)
    text_only: list[tuple[str, Any]] = [
        ("word counts + multinomial NB", _on_text(CountVectorizer(min_df=2), MultinomialNB())),
        ("TF-IDF + complement NB", _on_text(_words(), ComplementNB())),
        ("TF-IDF + logistic regression", _on_text(_words(), lr())),
        ("char n-grams + logistic regression", _on_text(chars(), lr())),
        (
            "TF-IDF + kNN (k=25, cosine)",
            _on_text(_words(), KNeighborsClassifier(25, metric="cosine")),
        ),
        ("word counts + random forest", _on_text(CountVectorizer(min_df=2), forest)),
    ]
    both: list[tuple[str, Any]] = [
        ("TF-IDF + other columns + logistic regression", _both(lr())),
        ("TF-IDF SVD(60) + other columns + gradient boosting", _both(boosting, svd=True)),
    ]

    def table(X: pd.DataFrame) -> Any:
        return make_pipeline(preprocessor(X, encode="ordinal", scale=False), boosting)

    return (
        SklearnContender("dummy: class frequencies", lambda X: DummyClassifier(strategy="prior")),
        *(SklearnContender(name, make, features=[TEXT]) for name, make in text_only),
        SklearnContender("other columns only + gradient boosting", table, features=TABULAR),
        *(SklearnContender(name, make, features=[TEXT, *TABULAR]) for name, make in both),
    )
