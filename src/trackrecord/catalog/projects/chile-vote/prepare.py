"""The 1988 Chilean plebiscite survey (carData `Chile`) without the rows missing a vote,
with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("carData", "Chile").dropna(subset=["vote"]))
