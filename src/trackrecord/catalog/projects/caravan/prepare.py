"""The CoIL 2000 insurance customers, one row each, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("ISLR", "Caravan"))
