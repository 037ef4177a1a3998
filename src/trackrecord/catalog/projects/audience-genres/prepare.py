"""MovieLens films and who rated them: tag each film's genres from its audience."""

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

from trackrecord.catalog import multilabel
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

GENRES = {
    "Drama": "Drama",
    "Comedy": "Comedy",
    "Thriller": "Thriller",
    "Action": "Action",
    "Romance": "Romance",
    "Adventure": "Adventure",
    "Crime": "Crime",
    "Sci-Fi": "SciFi",
    "Horror": "Horror",
    "Children": "Children",
    "Animation": "Animation",
    "Documentary": "Documentary",
}
MIN_RATINGS = 5


def prepare() -> Prepared:
    ratings = rdata("dslabs", "movielens")
    ratings = ratings.sort_values(["movieId", "userId"], kind="stable")
    ratings["vote"] = "u" + ratings["userId"].astype(str) + ":" + ratings["rating"].astype(str)
    films = ratings.groupby("movieId").agg(
        title=("title", "first"),
        year=("year", "first"),
        genres=("genres", "first"),
        n_ratings=("rating", "size"),
        mean_rating=("rating", "mean"),
        audience=("vote", " ".join),
    )
    films = films[films["n_ratings"] >= MIN_RATINGS].reset_index(drop=True)
    films["mean_rating"] = films["mean_rating"].round(3)
    for genre, column in GENRES.items():
        films[column] = films["genres"].str.split("|").apply(lambda g, x=genre: int(x in g))
    films = films.drop(columns=["genres"])
    return multilabel.prepare(
        with_ids(films), labels=list(GENRES.values()), metric="hamming_loss", seed=16, test_size=0.4
    )


def _users(X: pd.DataFrame) -> pd.Series:
    """Each film's audience as words: the user ids, ratings dropped."""
    return X["audience"].str.replace(r":[0-9.]+", "", regex=True)


class AudiencePipeline:
    """TF-IDF of the users who rated a film (a bag of users), then `model`."""

    def __init__(self, model: object, svd: int | None = None) -> None:
        self.model, self.svd = model, svd

    def _steps(self) -> object:
        words = TfidfVectorizer(token_pattern=r"\S+", min_df=2, sublinear_tf=True)
        if self.svd:
            return make_pipeline(words, TruncatedSVD(self.svd, random_state=0))
        return words

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> "AudiencePipeline":
        self.words_ = self._steps()
        self.model.fit(self.words_.fit_transform(_users(X)), y)  # type: ignore[attr-defined]
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.model.predict(self.words_.transform(_users(X)))  # type: ignore[attr-defined]


def field(data: Prepared) -> Sequence[Contender]:
    numbers = ["year", "n_ratings", "mean_rating"]
    standard = multilabel.multilabel_field(numbers)
    audience = [
        (
            "bag of users + logistic regression per label",
            lambda X: AudiencePipeline(
                MultiOutputClassifier(LogisticRegression(C=2.0, max_iter=2000))
            ),
        ),
        (
            "bag of users, SVD(50) + k-nearest neighbours (k=15)",
            lambda X: AudiencePipeline(KNeighborsClassifier(15), svd=50),
        ),
        (
            "bag of users, SVD(50) + HistGB per label",
            lambda X: AudiencePipeline(
                MultiOutputClassifier(HistGradientBoostingClassifier(max_iter=150, random_state=0)),
                svd=50,
            ),
        ),
    ]
    extra = [multilabel.MultilabelContender(name, make, ["audience"]) for name, make in audience]
    return (*standard, *extra)
