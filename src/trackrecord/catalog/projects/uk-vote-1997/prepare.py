"""The British Election Panel Study 1997-2001 (carData `BEPS`), with Python-friendly column
names and seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("carData", "BEPS").rename(columns=lambda c: c.replace(".", "_"))
    return with_ids(df)
