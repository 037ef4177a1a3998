"""Ketchup bought by 300 households (Ecdat `Catsup`, a supermarket scanner panel), one row per
purchase with the price, display and advertising of four products: the later half of every
household's purchases is the test set."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import ID, Split

HOUSEHOLD, ORDER = "household", "purchase"
SEED = 43


def purchases() -> pd.DataFrame:
    """One row per purchase, numbered within each household in the source's (time) order."""
    df = rdata("Ecdat", "Catsup").rename(columns={"id": HOUSEHOLD})
    df.columns = [c.replace(".", "_") for c in df.columns]
    df.insert(1, ORDER, df.groupby(HOUSEHOLD).cumcount() + 1)
    return df


def later_half(df: pd.DataFrame) -> Split:
    """Each household's later half of purchases is test, its earlier half train."""
    rank = df.groupby(HOUSEHOLD).cumcount()
    later = rank >= df.groupby(HOUSEHOLD)[ORDER].transform("size") // 2
    return Split(df[~later].sort_values(ID), df[later].sort_values(ID))


def prepare() -> Prepared:
    df = splits.with_ids(purchases())
    split = later_half(df)
    return assemble(
        split,
        splits.usage(split.test, seed=SEED, group=HOUSEHOLD),
        metric="log_loss",
        target="choice",
        split_info=SplitInfo("group-later", HOUSEHOLD, order=ORDER),
    )
