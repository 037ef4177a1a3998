"""The Forbes 2000 ranking of the world's biggest public companies, 2004 (HSAUR
`Forbes2000`), without the rank (computed partly from market value) and the name, with
seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("HSAUR", "Forbes2000")
    return with_ids(df[["country", "category", "sales", "profits", "assets", "marketvalue"]])
