"""Spanish households of 1980 and the share of their spending that went on food (Ecdat
`BudgetFood`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("Ecdat", "BudgetFood").dropna(subset=["sex"])  # one household has no sex
    return with_ids(df.reset_index(drop=True), seed=1980)
