"""ISLR's orange juice purchases (Citrus Hill or Minute Maid), one row each, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("ISLR", "OJ")
    # STORE and Store7 encode StoreID a second and a third time: keep one store column.
    df = df.drop(columns=["STORE", "Store7"])
    return with_ids(df, seed=1070)
