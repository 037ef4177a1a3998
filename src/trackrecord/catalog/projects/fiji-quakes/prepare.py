"""1,000 earthquakes near Fiji since 1964 (R `datasets::quakes`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("datasets", "quakes"))
