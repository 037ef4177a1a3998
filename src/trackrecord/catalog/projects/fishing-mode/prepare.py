"""Anglers' choice of fishing mode (Ecdat `Fishing`), without the price and catch of the
chosen mode (they give the answer away), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    # `price` and `catch` repeat the chosen mode's price and catch rate: they would give the
    # answer away, so only the per-mode columns stay.
    return with_ids(rdata("Ecdat", "Fishing").drop(columns=["price", "catch"]))
