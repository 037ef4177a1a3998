"""Recommendation and ranking projects on MovieLens ratings."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.baselines import mean_by_key_baseline, popularity_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.model import Brief, Project, SplitInfo
from trackrecord.catalog.prepare import assemble, rdata, supervised
from trackrecord.catalog.recsys import recsys_field
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import ID, Split

USER, ITEM = "userId", "movieId"
LOVED = 4.5  # stars: a movie the user loved (4.5 or 5)
COLUMNS: Mapping[str, str] = {
    "userId": "anonymized user id",
    "movieId": "MovieLens movie id",
    "title": "movie title, with the release year in brackets",
    "year": "release year",
    "genres": "genres, separated by | (e.g. `Comedy|Romance`)",
    "timestamp": "when the rating was given (seconds since 1970, UTC)",
}
SOURCE = (
    "R package dslabs, data set `movielens` (GroupLens Research, MovieLens 100k 'latest"
    " small', 2016; Harper and Konstan 2015)."
)

RATINGS_REFERENCE = """\
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

# rating ~ overall mean + user bias + movie bias. One-hot ids and a ridge penalty shrink
# the bias of a movie (or user) with few ratings towards zero: one 5-star rating says little.
ids = ["userId", "movieId"]
model = make_pipeline(
    OneHotEncoder(handle_unknown="ignore"),  # an unseen movie gets bias 0: the mean
    Ridge(alpha=5.0, solver="sparse_cg"),
)
model.fit(train[ids], train["rating"])

submission = pd.DataFrame({"id": test["id"]})
submission["rating"] = np.clip(model.predict(test[ids]), 0.5, 5.0)  # stars run 0.5 to 5
"""

TOP10_REFERENCE = """\
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.linear_model import Ridge
from sklearn.preprocessing import OneHotEncoder

# 1. Biases: rating ~ mean + user bias + movie bias, shrunk by a ridge penalty, so a movie
#    rated 5 stars by its one fan does not outrank a classic loved by hundreds.
ids = ["userId", "movieId"]
encoder = OneHotEncoder(handle_unknown="ignore")
biases = Ridge(alpha=10.0, solver="sparse_cg")
biases.fit(encoder.fit_transform(train[ids]), train["rating"])

# 2. Taste: a rank-20 SVD of what the biases leave, as a user x movie matrix.
residual = train["rating"] - biases.predict(encoder.transform(train[ids]))
users = {u: i for i, u in enumerate(sorted(train["userId"].unique()))}
movies = {m: i for i, m in enumerate(sorted(train["movieId"].unique()))}
rows, cols = train["userId"].map(users), train["movieId"].map(movies)
matrix = sparse.csr_matrix((residual, (rows, cols)))
svd = TruncatedSVD(20, random_state=0)
user_factors = svd.fit_transform(matrix)
movie_factors = svd.components_.T

# 3. Score each candidate: biases plus taste (no taste term for a movie train never saw).
u, m = test["userId"].map(users), test["movieId"].map(movies)
known = (u.notna() & m.notna()).to_numpy()
taste = np.zeros(len(test))
ui, mi = u[known].astype(int).to_numpy(), m[known].astype(int).to_numpy()
taste[known] = (user_factors[ui] * movie_factors[mi]).sum(axis=1)

submission = pd.DataFrame({"id": test["id"]})
submission["score"] = biases.predict(encoder.transform(test[ids])) + taste
"""


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
    version="2",
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
            pitfalls=(
                "A movie's mean rating is noisy when it has few ratings: a movie rated 5"
                " stars once is not the best film ever. Shrink such means towards the"
                " overall mean (a penalty, or a prior of a few ratings).",
                "Users differ in how generous they are: the same film gets 3 stars from a"
                " harsh user and 4.5 from a kind one. Model a user bias as well as a movie"
                " bias.",
                "Some test movies never appear in train: the prediction must fall back to"
                " something sensible (the user's bias on top of the overall mean), not NaN.",
                "Ratings run from 0.5 to 5 in half stars: clip predictions to that range;"
                " rounding them to half stars only adds error.",
            ),
            validation="The test ratings are a random sample of all ratings, so plain"
            " shuffled k-fold on train.csv estimates the test score (e.g. `KFold(5,"
            " shuffle=True)`); print `sklearn.metrics.root_mean_squared_error` on each"
            " held-out fold. Fit the per-movie and per-user statistics on the training folds"
            " only, or the estimate is too good.",
            split_why="The task is to fill in missing cells of a users x movies ratings"
            " matrix, so a random fifth of the ratings is held out; most test users and"
            " movies also appear in train. Whole users are not held out because the point"
            " is to learn each user's taste.",
        ),
        baseline=mean_by_key_baseline(
            data.spec,
            key=ITEM,
            explanation="Each movie's mean rating in train (the overall mean for new movies):"
            " it ignores who is rating, and trusts movies rated once.",
        ),
        reference=CodeContender(
            "reference: regularized user + movie biases (ridge on one-hot ids)",
            RATINGS_REFERENCE,
            "A user bias and a movie bias on top of the overall mean, fitted together with a"
            " ridge penalty that shrinks rarely rated movies and users towards the mean.",
        ),
        field=recsys_field(USER, ITEM, ["year", "timestamp"]),
    )


def _query_split(df: pd.DataFrame, *, seed: int, share: float, min_ratings: int = 20) -> Split:
    """Test users: `share` of those with enough ratings; their later half of ratings (in
    time) is test. Everyone else, and the earlier half of test users, is train."""
    counts = df[USER].value_counts()
    eligible = pd.Series(sorted(counts[counts >= min_ratings].index))
    chosen = set(eligible.sample(frac=share, random_state=splits.seed_for(seed)))
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
    summary="For each user, order the movies they watched next so the ones they loved"
    " (4.5 or 5 stars) come first: NDCG at 10.",
    gold_margin=0.005,
    version="3",
)
def movielens_top10() -> Project:
    df = splits.with_ids(_ratings())
    df["loved"] = (df["rating"] >= LOVED).astype(int)
    split = _query_split(df, seed=103, share=0.5)
    split = Split(split.train, split.test.drop(columns="rating"))  # test: no stars either
    usage = splits.usage(split.test, seed=103, group=USER)
    data = assemble(
        split,
        usage,
        metric="ndcg_at_k",
        target="loved",
        group=USER,
        metric_params={"k": 10},
        prediction="score",
        split_info=SplitInfo("group-later", USER, order="timestamp"),
    )
    return data.project(
        brief=_top10_brief(),
        baseline=popularity_baseline(
            data.spec,
            item=ITEM,
            explanation="Rank each user's movies by how many ratings they have in train:"
            " popular movies are loved more often, but everyone gets the same order.",
        ),
        reference=CodeContender(
            "reference: regularized biases + SVD of the residuals (k=20)",
            TOP10_REFERENCE,
            "Shrunk user and movie biases, then a rank-20 SVD of the residual ratings: the"
            " movie's quality plus how well it fits this user's taste.",
        ),
        field=recsys_field(USER, ITEM, ["year", "timestamp"], ranking=True, target="loved"),
    )


def _top10_brief() -> Brief:
    return Brief(
        source=SOURCE,
        about="100,004 ratings of 9066 movies by 671 users. For half of the users (336), the"
        " later half of their ratings (in time) was moved to test.csv, without the stars:"
        " rank those movies for each user. The other users and the earlier ratings of the"
        f" test users are in train.csv, with their stars and `loved` (1 for {LOVED:g} stars"
        " or more, else 0).",
        target="A `score` for each test row; within each `userId`, the movies the user loved"
        f" (rated {LOVED:g} or 5 stars; about one in five) should get the highest scores."
        " Only the order within a user counts.",
        metric_why="NDCG at 10 looks at the top ten of each user's list and rewards putting"
        " the loved movies first, averaged over users (users who loved none of their movies"
        " are left out): what a recommendation page shows. With loved/not loved as the"
        " relevance, a list in random order scores far lower than a good one.",
        columns={
            **COLUMNS,
            "rating": "the stars the user gave the movie (0.5 to 5, in half stars)",
        },
        pitfalls=(
            "Every user's list holds only movies the user chose to watch, so popularity helps"
            " less than usual: what matters is which of them this user loved.",
            "A user bias moves all of a user's scores together and cannot change their order:"
            " within a list, only the movie's quality and the user's taste count.",
            "Movies with a handful of ratings have extreme means: shrink them, or an obscure"
            " film rated 5 stars once tops every list.",
            "Train has the test users' earlier ratings: that is their taste. Do not drop those"
            " users when you fit.",
        ),
        validation="Mimic the split inside train.csv: pick some users with 20 or more"
        " ratings, move the later half of their ratings (sort by `timestamp`) to a"
        " validation set with `rating` and `loved` removed, fit on the rest, and print"
        " trackrecord's `ndcg_at_k` with `loved` as the relevance, `groups=userId` and"
        " k=10. Shuffled folds of rows (the starter's quick check) mix a user's past and"
        " future, so they flatter models that use the user's own ratings.",
        split_why="Recommending means predicting what a user does next from what they did"
        " before, so the test rows are the later half of each test user's ratings, in"
        " time order. Other users' ratings stay in train whenever they were made: most users"
        " rated all their movies within one day, so a single cut-off date would leave only"
        " a few dozen test users with a history.",
    )
