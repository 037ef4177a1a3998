"""The Ames, Iowa house sales (modeldata `ames`) without the coordinates, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("modeldata", "ames").drop(columns=["Longitude", "Latitude"]))
