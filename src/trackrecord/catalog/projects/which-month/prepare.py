"""Which month is it? Each row is the first 28 days of one month of daily maximum and
minimum temperatures at Clemson, South Carolina (stevedata's clemson_temps, 1930-2020), as
56 columns; the month is the class. Split by time: the later years are the test set."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata

DAYS = 28  # every month has at least 28 days: sequences of one length
TEST_FROM = 1985  # 1985-2020 is the test set (432 months)


def _months() -> pd.DataFrame:
    raw = rdata("stevedata", "clemson_temps")
    raw["date"] = pd.to_datetime(raw["date"])
    days = pd.DataFrame({"date": pd.date_range(raw["date"].min(), raw["date"].max())})
    daily = days.merge(raw, on="date", how="left")
    # 91 days are missing from the record: fill them from their neighbours in time
    daily[["tmin", "tmax"]] = daily[["tmin", "tmax"]].interpolate(limit_direction="both")
    daily = daily[daily["date"].dt.day <= DAYS]
    wide = daily.pivot_table(
        index=[daily["date"].dt.year.rename("year"), daily["date"].dt.month.rename("month")],
        columns=daily["date"].dt.day.rename("day"),
        values=["tmax", "tmin"],
    )
    wide.columns = [f"{kind}_{day:02d}" for kind, day in wide.columns]
    return wide.round(2).reset_index()


def prepare() -> Prepared:
    df = splits.with_ids(_months())
    df["month"] = df["month"].astype(str)
    split = splits.time_split(df, order="year", test_rows=int((df["year"] >= TEST_FROM).sum()))
    usage = splits.usage(split.test, seed=0, ordered=True)
    return assemble(
        split,
        usage,
        metric="balanced_accuracy",
        target="month",
        split_info=SplitInfo("time", "year"),
    )
