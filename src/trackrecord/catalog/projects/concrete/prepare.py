"""Yeh's concrete compressive strength tests (modeldata `concrete`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("modeldata", "concrete"))
