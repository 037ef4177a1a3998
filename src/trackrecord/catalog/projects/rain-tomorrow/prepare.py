"""Daily weather in five cities, 2016-2017 (mosaicData `Weather`): will it rain tomorrow?
The last six months are the test set."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_DAY = "2017-07-01"
COLUMNS = [
    "city", "date", "month", "high_temp", "avg_temp", "low_temp", "high_dewpt", "avg_dewpt",
    "low_dewpt", "high_humidity", "avg_humidity", "low_humidity", "high_hg", "avg_hg",
    "low_hg", "high_vis", "avg_vis", "low_vis", "high_wind", "avg_wind", "low_wind",
    "precip", "events",
]  # fmt: skip


def table() -> pd.DataFrame:
    raw = rdata("mosaicData", "Weather").sort_values(["city", "date"], kind="stable")
    df = raw[COLUMNS].copy()
    df["events"] = df["events"].fillna("none")
    rain = df["events"].str.contains("Rain|Thunderstorm")
    # tomorrow's events in the same city; the last day of 2017 has no tomorrow
    tomorrow = rain.groupby(df["city"]).shift(-1)
    df["rain_tomorrow"] = tomorrow.map({True: "yes", False: "no"})
    return df.dropna(subset=["rain_tomorrow"]).reset_index(drop=True)


def prepare() -> Prepared:
    df = with_ids(table())
    test_rows = int((df["date"] >= FIRST_TEST_DAY).sum())
    split = splits.time_split(df, order="date", test_rows=test_rows)
    return assemble(
        split,
        splits.usage(split.test, seed=0, ordered=True),
        metric="brier",
        target="rain_tomorrow",
        labels=("no", "yes"),
        split_info=SplitInfo("time", "date"),
    )
