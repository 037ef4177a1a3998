"""Customers of a US phone company (modeldata `mlc_churn`, the MLC++ churn data), with
seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("modeldata", "mlc_churn"))
