"""Baseline pipelines as code: the same source is scored by the build and shown, runnable,
in the starter notebook. Each function returns a CodeContender."""

from __future__ import annotations

from collections.abc import Sequence

from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.model import Spec
from trackrecord.metrics import InputKind


def _predict_snippet(spec: Spec, X: str) -> str:
    """Lines that fill `submission` from a fitted `model`, in the metric's input kind."""
    col = spec.target_columns[0]
    if spec.kind is InputKind.PROBABILITIES:
        assert spec.labels is not None
        if len(spec.labels) == 2:
            return (
                f"proba = model.predict_proba({X})\n"
                f"# one column: the probability of {spec.positive!r}\n"
                f"submission[{col!r}] = proba[:, list(model.classes_).index({spec.positive!r})]\n"
            )
        return (
            f"proba = model.predict_proba({X})\n"
            "# one column per class, named after the class\n"
            "for i, label in enumerate(model.classes_):\n"
            "    submission[str(label)] = proba[:, i]\n"
            "submission = submission[sample.columns]\n"
        )
    predict = f"model.predict({X})"
    if spec.clip_min is not None:
        predict = f"np.clip({predict}, {spec.clip_min}, None)"
    return f"submission[{col!r}] = {predict}\n"


def _list(names: Sequence[str]) -> str:
    return "[" + ", ".join(repr(n) for n in names) + "]"


def model_baseline(
    spec: Spec,
    *,
    name: str,
    model: str,
    imports: str,
    numeric: Sequence[str] = (),
    categorical: Sequence[str] = (),
    explanation: str = "",
) -> CodeContender:
    """A scikit-learn pipeline on a few columns: median-imputed, scaled numeric columns and
    one-hot categorical ones, then `model` (an expression)."""
    steps = []
    if numeric:
        steps.append(
            '    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),'
        )
    if categorical:
        steps.append('    (OneHotEncoder(handle_unknown="ignore"), categorical),')
    code = (
        "from sklearn.compose import make_column_transformer\n"
        "from sklearn.impute import SimpleImputer\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import OneHotEncoder, StandardScaler\n"
        f"{imports}\n\n"
        f"numeric = {_list(numeric)}\n"
        f"categorical = {_list(categorical)}\n"
        "features = numeric + categorical\n"
        "preprocess = make_column_transformer(\n" + "\n".join(steps) + "\n)\n"
        f"model = make_pipeline(preprocess, {model})\n"
        f"model.fit(train[features], train[{spec.target!r}])\n\n"
        f"submission = pd.DataFrame({{{spec.id_column!r}: test[{spec.id_column!r}]}})\n"
        + _predict_snippet(spec, "test[features]")
    )
    return CodeContender(name, code, explanation)


def text_baseline(spec: Spec, *, text: str, explanation: str = "") -> CodeContender:
    """Word counts and multinomial naive Bayes on one text column."""
    code = (
        "from sklearn.feature_extraction.text import CountVectorizer\n"
        "from sklearn.naive_bayes import MultinomialNB\n"
        "from sklearn.pipeline import make_pipeline\n\n"
        "model = make_pipeline(CountVectorizer(min_df=2), MultinomialNB())\n"
        f"model.fit(train[{text!r}].fillna(''), train[{spec.target!r}])\n\n"
        f"submission = pd.DataFrame({{{spec.id_column!r}: test[{spec.id_column!r}]}})\n"
        + _predict_snippet(spec, f"test[{text!r}].fillna('')")
    )
    return CodeContender("baseline: word counts + naive Bayes", code, explanation)


def seasonal_naive_baseline(
    spec: Spec, *, time: str, period: int, unit: str, explanation: str = ""
) -> CodeContender:
    """Repeat the last full season of the history over the forecast horizon."""
    col = spec.target_columns[0]
    code = (
        "# test.csv holds the time steps right after train.csv ends\n"
        f"history = train.sort_values({time!r})[{spec.target!r}].to_numpy()\n"
        f"period = {period}  # one season: {unit}\n"
        "last_season = history[-period:]\n\n"
        f"test = test.sort_values({time!r})\n"
        f"submission = pd.DataFrame({{{spec.id_column!r}: test[{spec.id_column!r}]}})\n"
        f"submission[{col!r}] = np.resize(last_season, len(test))\n"
    )
    return CodeContender(f"baseline: seasonal naive ({unit})", code, explanation)


def kmeans_baseline(
    spec: Spec, *, features: Sequence[str], k: int, explanation: str = ""
) -> CodeContender:
    """k-means on the raw (unscaled) features of every row, train and test together."""
    col = spec.target_columns[0]
    code = (
        "from sklearn.cluster import KMeans\n\n"
        f"features = {_list(features)}\n"
        "rows = pd.concat([train[features], test[features]], ignore_index=True)\n"
        f"model = KMeans(n_clusters={k}, n_init=10, random_state=0).fit(rows)\n\n"
        f"submission = pd.DataFrame({{{spec.id_column!r}: test[{spec.id_column!r}]}})\n"
        f"submission[{col!r}] = model.labels_[len(train):]\n"
    )
    return CodeContender("baseline: k-means on raw features", code, explanation)


def mean_by_key_baseline(spec: Spec, *, key: str, explanation: str = "") -> CodeContender:
    """Predict the training mean of the target for the row's key (e.g. an item)."""
    col = spec.target_columns[0]
    code = (
        f"overall = train[{spec.target!r}].mean()\n"
        f"mean_by_key = train.groupby({key!r})[{spec.target!r}].mean()\n\n"
        f"submission = pd.DataFrame({{{spec.id_column!r}: test[{spec.id_column!r}]}})\n"
        f"submission[{col!r}] = test[{key!r}].map(mean_by_key).fillna(overall).to_numpy()\n"
    )
    return CodeContender(f"baseline: mean {spec.target} per {key}", code, explanation)


def popularity_baseline(spec: Spec, *, item: str, explanation: str = "") -> CodeContender:
    """Rank by how often each item appears in train: the same list for every query."""
    col = spec.target_columns[0]
    code = (
        "# the most-rated items first, for everyone: no personalization at all\n"
        f"popularity = train[{item!r}].value_counts()\n\n"
        f"submission = pd.DataFrame({{{spec.id_column!r}: test[{spec.id_column!r}]}})\n"
        f"submission[{col!r}] = test[{item!r}].map(popularity).fillna(0).to_numpy(dtype=float)\n"
    )
    return CodeContender(f"baseline: popularity (ratings per {item})", code, explanation)
