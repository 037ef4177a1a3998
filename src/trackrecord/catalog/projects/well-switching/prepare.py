"""carData's well-switching households of Araihazar, Bangladesh, one row each, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("carData", "Wells"), seed=3020)
