"""Recommendation and ranking projects on MovieLens ratings."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.baselines import mean_by_key_baseline
from trackrecord.catalog.contenders import FunctionContender, SklearnContender
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import assemble, rdata, supervised
from trackrecord.catalog.recsys import Factorized, biases, recsys_field
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import ID, Split

USER, ITEM = "userId", "movieId"
COLUMNS: Mapping[str, str] = {
    "userId": "anonymized user id",
    "movieId": "MovieLens movie id",
    "title": "movie title",
    "year": "release year",
    "genres": "genres, separated by |",
    "timestamp": "when the rating was given (seconds since 1970)",
}
SOURCE = (
    "R package dslabs, data set `movielens` (GroupLens Research, MovieLens 100k 'latest"
    " small', 2016; Harper and Konstan 2015)."
)


def _ratings() -> pd.DataFrame:
    df = rdata("dslabs", "movielens")
    df = df.sort_values(["timestamp", USER, ITEM], kind="stable")
    df["genres"] = df["genres"].astype(str)
    return df[[USER, ITEM, "title", "year", "genres", "timestamp", "rating"]]


@recipe(
    "movielens-ratings",
    title="Predict movie ratings",
    task="recommendation-ranking",
    metric="rmse",
    level=3,
    skills=("recommendation", "matrix-factorization", "regularization"),
    apply_elsewhere=("movielens-top10",),
    summary="Predict how many stars a user gives a movie, from 80,000 past ratings by 671 users.",
    gold_margin=0.005,
)
def movielens_ratings() -> Project:
    df = splits.with_ids(_ratings())
    data = supervised(df, metric="rmse", target="rating", test_size=0.2, seed=101)
    return data.project(
        brief=Brief(
            source=SOURCE,
            about="100,004 ratings (0.5 to 5 stars) of 9066 movies by 671 users. The test"
            " ratings are a random fifth of them: most users and movies also appear in"
            " train, some movies do not.",
            target="`rating`: the stars the user gave the movie.",
            metric_why="RMSE in stars, the measure of the Netflix Prize.",
            columns=COLUMNS,
        ),
        baseline=mean_by_key_baseline(
            data.spec,
            key=ITEM,
            explanation="Each movie's mean rating in train (the overall mean for new movies):"
            " it ignores who is rating, and trusts movies rated once.",
        ),
        reference=SklearnContender(
            "reference: regularized user + item biases (ridge on one-hot ids)",
            biases(5.0),
            [USER, ITEM],
        ),
        field=recsys_field(USER, ITEM, ["year", "timestamp"]),
    )


def _query_split(df: pd.DataFrame, *, seed: int, min_ratings: int = 20) -> Split:
    """Test users: 30% of those with enough ratings; their later half of ratings is test."""
    counts = df[USER].value_counts()
    eligible = pd.Series(sorted(counts[counts >= min_ratings].index))
    chosen = set(eligible.sample(frac=0.3, random_state=seed))
    mine = df[df[USER].isin(chosen)]
    rank = mine.groupby(USER).cumcount()
    size = mine.groupby(USER)[ITEM].transform("size")
    later = mine[rank >= size // 2]
    return Split(df.drop(index=later.index).sort_values(ID), later.sort_values(ID))


@recipe(
    "movielens-top10",
    title="Rank the movies a user will love",
    task="recommendation-ranking",
    metric="ndcg_at_k",
    level=5,
    skills=("ranking", "recommendation", "matrix-factorization"),
    apply_elsewhere=("movielens-ratings",),
    summary="For each user, order the movies they watched next so the ones they loved come"
    " first: NDCG at 10.",
    gold_margin=0.005,
)
def movielens_top10() -> Project:
    df = splits.with_ids(_ratings())
    split = _query_split(df, seed=103)
    usage = splits.usage(split.test, seed=103, group=USER)
    data = assemble(
        split,
        usage,
        metric="ndcg_at_k",
        target="rating",
        group=USER,
        metric_params={"k": 10},
        prediction="score",
    )
    return data.project(
        brief=Brief(
            source=SOURCE,
            about="100,004 ratings of 9066 movies by 671 users. For about 200 test users, the"
            " later half of their ratings (in time) was moved to test.csv: rank those movies"
            " for each user. The other users and the earlier ratings are in train.csv.",
            target="A `score` for each test row; within each `userId`, higher scores should"
            " go to the movies the user rated higher.",
            metric_why="NDCG at 10 looks at the top ten of each user's list, rewards putting"
            " the highest-rated movies first, and averages over users: what a"
            " recommendation page shows.",
            columns=COLUMNS,
        ),
        baseline=mean_by_key_baseline(
            data.spec,
            key=ITEM,
            explanation="Rank by each movie's mean rating in train: the same list for everyone.",
        ),
        reference=FunctionContender(
            "reference: regularized biases + SVD of the residuals (k=20)",
            Factorized(USER, ITEM, k=20, alpha=10.0),
        ),
        field=recsys_field(USER, ITEM, ["year", "timestamp"], ranking=True),
    )
