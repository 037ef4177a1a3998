"""Delivery times of 10,012 food orders from one restaurant (modeldata `deliveries`)."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("modeldata", "deliveries"), seed=10012)
