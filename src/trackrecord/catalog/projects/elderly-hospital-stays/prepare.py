"""Medicare patients aged 66 and over in the NMES 1987-88 (AER `NMES1988`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("AER", "NMES1988"), seed=4406)
