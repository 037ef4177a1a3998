"""A seeded sample of the 1980 census extract's women (AER `Fertility`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids

MORE_KIDS_ROWS = 60_000  # a seeded sample of the census extract's 254,654 women


def load() -> pd.DataFrame:
    source = rdata("AER", "Fertility")
    return with_ids(source.sample(MORE_KIDS_ROWS, random_state=1980).reset_index(drop=True))
