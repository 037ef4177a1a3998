"""Houses sold in Saratoga County, NY, in 2006 (mosaicData `SaratogaHouses`), with seeded
ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("mosaicData", "SaratogaHouses"))
