"""The March 1988 Current Population Survey (AER `CPS1988`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("AER", "CPS1988"))
