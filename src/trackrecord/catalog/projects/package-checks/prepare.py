"""How long `R CMD check` took for 13,626 CRAN packages (modeldata `check_times`); the
checks that stopped on an error are left out."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("modeldata", "check_times")
    # status 0: the check stopped on an error, so its time is only a lower bound (censored).
    df = df[df["status"] == 1].drop(columns=["status", "package"])
    return with_ids(df.reset_index(drop=True), seed=2019)
