"""Preprocessing and "the field": about ten standard pipelines per task family, scored on
every project's split so a learner sees where a submission would place.

Every estimator has a fixed random_state and n_jobs=1 so the stored numbers reproduce.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.cluster import AgglomerativeClustering, Birch, KMeans, SpectralClustering
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression, RidgeCV
from sklearn.metrics import average_precision_score, make_scorer
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.naive_bayes import ComplementNB, GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from trackrecord.catalog.contenders import ClusterContender, SklearnContender
from trackrecord.catalog.model import Spec
from trackrecord.metrics import InputKind

SEED = 0
SVM_MAX_ROWS = 3000  # kernel SVMs are in the field only where they stay cheap
Encoding = Literal["onehot", "ordinal"]
Make = Callable[[pd.DataFrame], Any]


def split_columns(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Numeric and categorical column names (bool, string, object, category are categorical)."""
    numeric = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c]) and X[c].dtype != bool]
    return numeric, [c for c in X.columns if c not in numeric]


def preprocessor(X: pd.DataFrame, *, encode: Encoding = "onehot", scale: bool = True) -> Any:
    """Impute, scale and encode by column type: one-hot for linear/distance models,
    ordinal codes for trees."""
    numeric, categorical = split_columns(X)
    num_steps: list[Any] = [SimpleImputer(strategy="median")]
    if scale:
        num_steps.append(StandardScaler())
    if encode == "onehot":
        encoder: Any = OneHotEncoder(
            handle_unknown="infrequent_if_exist", min_frequency=5, sparse_output=False
        )
    else:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    cat = make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"), encoder)
    return ColumnTransformer(
        [("num", make_pipeline(*num_steps), numeric), ("cat", cat, categorical)],
        verbose_feature_names_out=False,
    )


def with_pre(model: Callable[[], Any], *, encode: Encoding = "onehot", scale: bool = True) -> Make:
    """A factory: the preprocessor for these columns, then a fresh `model()`."""
    return lambda X: make_pipeline(preprocessor(X, encode=encode, scale=scale), model())


def for_trees(model: Callable[[], Any]) -> Make:
    """Ordinal-coded categories and unscaled numbers: all a tree needs."""
    return with_pre(model, encode="ordinal", scale=False)


def log_target(make: Make) -> Make:
    """Fit on log1p(y) and invert the predictions: the natural loss for RMSLE."""
    return lambda X: TransformedTargetRegressor(make(X), func=np.log1p, inverse_func=np.expm1)


# Our metric names -> scikit-learn scorer names, for tuning with cross-validation.
SCORERS = {
    "accuracy": "accuracy",
    "macro_f1": "f1_macro",
    "roc_auc": "roc_auc",
    "pr_auc": "average_precision",
    "log_loss": "neg_log_loss",
    "rmse": "neg_root_mean_squared_error",
    "rmsle": "neg_root_mean_squared_log_error",
    "mae": "neg_mean_absolute_error",
    "mape": "neg_mean_absolute_percentage_error",
    "poisson_deviance": "neg_mean_poisson_deviance",
}


def tuned(make: Make, grid: Mapping[str, Any], spec: Spec, metric: str) -> Make:
    """A little tuning: 3-fold grid search of `grid` on the training rows only."""
    classify = spec.kind in (InputKind.LABELS, InputKind.PROBABILITIES)
    folds = (StratifiedKFold if classify else KFold)(3, shuffle=True, random_state=SEED)
    scoring: Any = SCORERS[metric]
    if metric == "pr_auc":  # the scorer must be told which string label is positive
        scoring = make_scorer(
            average_precision_score, response_method="predict_proba", pos_label=spec.positive
        )
    return lambda X: GridSearchCV(make(X), dict(grid), scoring=scoring, cv=folds, n_jobs=1)


def _forest_kw() -> dict[str, Any]:
    return {"n_estimators": 120, "min_samples_leaf": 2, "random_state": SEED, "n_jobs": 1}


def classification_field(n_train: int, *, proba: bool) -> tuple[SklearnContender, ...]:
    """The standard classifiers on a tabular problem."""
    entries: list[tuple[str, Make]] = [
        ("dummy: class frequencies", lambda X: DummyClassifier(strategy="prior")),
        ("logistic regression", with_pre(lambda: LogisticRegression(max_iter=2000))),
        ("k-nearest neighbours (k=25)", with_pre(lambda: KNeighborsClassifier(25))),
        ("Gaussian naive Bayes", with_pre(GaussianNB)),
        ("linear discriminant analysis", with_pre(LinearDiscriminantAnalysis)),
        (
            "decision tree (depth 6)",
            for_trees(lambda: DecisionTreeClassifier(max_depth=6, random_state=SEED)),
        ),
        ("random forest", for_trees(lambda: RandomForestClassifier(**_forest_kw()))),
        ("extra trees", for_trees(lambda: ExtraTreesClassifier(**_forest_kw()))),
        (
            "gradient boosting (HistGB)",
            for_trees(lambda: HistGradientBoostingClassifier(random_state=SEED)),
        ),
    ]
    if n_train <= SVM_MAX_ROWS:
        entries.append(("support vector machine (RBF)", with_pre(lambda: _svc(proba))))
    return tuple(SklearnContender(name, make) for name, make in entries)


def _svc(proba: bool) -> Any:
    """An RBF SVM; calibrated (3 folds) when the metric reads probabilities."""
    if proba:
        return CalibratedClassifierCV(SVC(random_state=SEED), ensemble=False, cv=3)
    return SVC(random_state=SEED)


def regression_field(n_train: int, *, log: bool = False) -> tuple[SklearnContender, ...]:
    """The standard regressors on a tabular problem; on the log scale when `log`."""
    entries: list[tuple[str, Make]] = [
        ("linear regression", with_pre(LinearRegression)),
        ("ridge (alpha by CV)", with_pre(lambda: RidgeCV(alphas=np.logspace(-3, 3, 13)))),
        ("k-nearest neighbours (k=15)", with_pre(lambda: KNeighborsRegressor(15))),
        (
            "decision tree (depth 8)",
            for_trees(lambda: DecisionTreeRegressor(max_depth=8, random_state=SEED)),
        ),
        ("random forest", for_trees(lambda: RandomForestRegressor(**_forest_kw()))),
        ("extra trees", for_trees(lambda: ExtraTreesRegressor(**_forest_kw()))),
        (
            "gradient boosting (HistGB)",
            for_trees(lambda: HistGradientBoostingRegressor(random_state=SEED)),
        ),
    ]
    if n_train <= SVM_MAX_ROWS:
        entries.append(("support vector regression (RBF)", with_pre(SVR)))
    if log:
        entries = [(f"{name}, log target", log_target(make)) for name, make in entries]
    dummy = SklearnContender("dummy: training mean", lambda X: DummyRegressor())
    return (dummy, *(SklearnContender(name, make) for name, make in entries))


def _text(vectorizer: Callable[[], Any], text: str, model: Callable[[], Any]) -> Make:
    return lambda X: Pipeline(
        [("text", ColumnTransformer([("v", vectorizer(), text)])), ("model", model())]
    )


def text_field(text: str) -> tuple[SklearnContender, ...]:
    """Standard text classifiers on one text column."""

    def words() -> Any:
        return TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True)

    def chars() -> Any:
        return TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), min_df=3, max_features=20000, sublinear_tf=True
        )

    def counts() -> Any:
        return CountVectorizer(min_df=2)

    entries: list[tuple[str, Make]] = [
        ("dummy: class frequencies", lambda X: DummyClassifier(strategy="prior")),
        ("word counts + multinomial NB", _text(counts, text, MultinomialNB)),
        ("TF-IDF + complement NB", _text(words, text, ComplementNB)),
        (
            "TF-IDF + logistic regression",
            _text(words, text, lambda: LogisticRegression(C=4, max_iter=2000)),
        ),
        (
            "char n-grams + logistic regression",
            _text(chars, text, lambda: LogisticRegression(C=4, max_iter=2000)),
        ),
        (
            "TF-IDF + k-nearest neighbours",
            _text(words, text, lambda: KNeighborsClassifier(25, metric="cosine")),
        ),
        (
            "word counts + decision tree",
            _text(counts, text, lambda: DecisionTreeClassifier(max_depth=10, random_state=SEED)),
        ),
        (
            "word counts + random forest",
            _text(
                counts,
                text,
                lambda: RandomForestClassifier(60, min_samples_leaf=2, random_state=SEED, n_jobs=1),
            ),
        ),
        (
            "TF-IDF + SVD(50) + HistGB",
            _text(
                lambda: make_pipeline(words(), TruncatedSVD(50, random_state=SEED)),
                text,
                lambda: HistGradientBoostingClassifier(max_iter=60, random_state=SEED),
            ),
        ),
    ]
    return tuple(SklearnContender(name, make) for name, make in entries)


def cluster_field(k: int) -> tuple[ClusterContender, ...]:
    """Standard clusterers with k known, on raw, scaled and PCA-compressed features."""

    def scaled(model: Callable[[], Any]) -> Make:
        return lambda X: FitPredict(StandardScaler(), model())

    entries: list[tuple[str, Make]] = [
        ("single cluster", lambda X: _Constant()),
        ("k-means, raw features", lambda X: KMeans(k, n_init=10, random_state=SEED)),
        ("k-means, scaled", scaled(lambda: KMeans(k, n_init=10, random_state=SEED))),
        (
            "k-means, scaled + PCA",
            lambda X: FitPredict(
                make_pipeline(StandardScaler(), PCA(0.9, random_state=SEED)),
                KMeans(k, n_init=10, random_state=SEED),
            ),
        ),
        ("Ward hierarchical, scaled", scaled(lambda: AgglomerativeClustering(k))),
        (
            "average-link hierarchical, scaled",
            scaled(lambda: AgglomerativeClustering(k, linkage="average")),
        ),
        (
            "Gaussian mixture (full), scaled",
            scaled(lambda: GaussianMixture(k, random_state=SEED, n_init=2)),
        ),
        (
            "Gaussian mixture (diagonal), scaled",
            scaled(lambda: GaussianMixture(k, covariance_type="diag", random_state=SEED, n_init=2)),
        ),
        ("BIRCH, scaled", scaled(lambda: Birch(n_clusters=k))),
        (
            "spectral (nearest neighbours), scaled",
            scaled(lambda: SpectralClustering(k, affinity="nearest_neighbors", random_state=SEED)),
        ),
    ]
    return tuple(ClusterContender(name, make) for name, make in entries)


class FitPredict:
    """A transformer then a clusterer, exposing fit_predict."""

    def __init__(self, transform: Any, model: Any) -> None:
        self.transform, self.model = transform, model

    def fit_predict(self, X: pd.DataFrame) -> Any:
        return self.model.fit_predict(self.transform.fit_transform(X))


class _Constant:
    def fit_predict(self, X: pd.DataFrame) -> Any:
        return np.zeros(len(X), dtype=int)


def embedding_cluster_field(k: int, *, components: int = 30) -> tuple[ClusterContender, ...]:
    """Clusterers on a nonlinear 2-D map: PCA to `components` dimensions, t-SNE to two, then
    Ward or k-means. The standard strong pipeline for image-like data (digits)."""

    def mapped(model: Callable[[], Any]) -> Make:
        return lambda X: FitPredict(_tsne_map(components), model())

    entries: list[tuple[str, Make]] = [
        (f"PCA ({components}) + t-SNE + Ward", mapped(lambda: AgglomerativeClustering(k))),
        (
            f"PCA ({components}) + t-SNE + k-means",
            mapped(lambda: KMeans(k, n_init=10, random_state=SEED)),
        ),
    ]
    return tuple(ClusterContender(name, make) for name, make in entries)


def _tsne_map(components: int) -> Any:
    from sklearn.manifold import TSNE

    return make_pipeline(
        PCA(components, random_state=SEED),
        TSNE(2, perplexity=30, init="pca", random_state=SEED, n_jobs=1),
    )
