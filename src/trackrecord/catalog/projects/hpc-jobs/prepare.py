"""The jobs of a high-performance computing cluster (modeldata `hpc_data`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("modeldata", "hpc_data"))
