"""Loan applicants of a Spanish bank (modeldata `credit_data`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("modeldata", "credit_data")
    df.columns = [c.lower() for c in df.columns]
    return with_ids(df)
