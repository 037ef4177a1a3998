"""carData SLID (Ontario, 1994): the workers who report a wage, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("carData", "SLID")
    # 3,278 people have no wage recorded: there is nothing to predict for them.
    df = df[df["wages"].notna()].reset_index(drop=True)
    return with_ids(df, seed=1994)
