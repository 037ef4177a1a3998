"""MovieLens ratings with seeded ids (a random split of them, [split]); the field is the
recommenders of catalog.recsys."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.recsys import recsys_field
from trackrecord.catalog.splits import with_ids

USER, ITEM = "userId", "movieId"


def ratings() -> pd.DataFrame:
    """MovieLens 100k 'latest small' (dslabs `movielens`), in time order."""
    df = rdata("dslabs", "movielens")
    df = df.sort_values(["timestamp", USER, ITEM], kind="stable")
    df["genres"] = df["genres"].astype(str)
    return df[[USER, ITEM, "title", "year", "genres", "timestamp", "rating"]]


def load() -> pd.DataFrame:
    return with_ids(ratings())


def field(data: Prepared) -> Sequence[Contender]:
    return recsys_field(USER, ITEM, ["year", "timestamp"])
