"""MovieLens ratings as a ranking task: for half of the users with 20 ratings or more, the
later half of their ratings (in time) is the test set, scored by NDCG at 10 per user."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import Contender, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.recsys import recsys_field
from trackrecord.catalog.splits import ID, Split

USER, ITEM = "userId", "movieId"
LOVED = 4.5  # stars: a movie the user loved (4.5 or 5)


def ratings() -> pd.DataFrame:
    """MovieLens 100k 'latest small' (dslabs `movielens`), in time order."""
    df = rdata("dslabs", "movielens")
    df = df.sort_values(["timestamp", USER, ITEM], kind="stable")
    df["genres"] = df["genres"].astype(str)
    return df[[USER, ITEM, "title", "year", "genres", "timestamp", "rating"]]


def query_split(df: pd.DataFrame, *, seed: int, share: float, min_ratings: int = 20) -> Split:
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


def prepare() -> Prepared:
    df = splits.with_ids(ratings())
    df["loved"] = (df["rating"] >= LOVED).astype(int)
    split = query_split(df, seed=103, share=0.5)
    split = Split(split.train, split.test.drop(columns="rating"))  # test: no stars either
    usage = splits.usage(split.test, seed=103, group=USER)
    return assemble(
        split,
        usage,
        metric="ndcg_at_k",
        target="loved",
        group=USER,
        metric_params={"k": 10},
        prediction="score",
        split_info=SplitInfo("group-later", USER, order="timestamp"),
    )


def field(data: Prepared) -> Sequence[Contender]:
    return recsys_field(USER, ITEM, ["year", "timestamp"], ranking=True, target="loved")
