"""Which industry is it? US employment by industry (fpp3's `us_employment`, monthly series of the
US Bureau of Labor Statistics, not seasonally adjusted) as sequences: each row is one
industry series in one year, its twelve monthly employment levels and the twelve of the
year before, divided by the year's average, so only the shape is left. The class is the
industry's supersector. Split by time: 2010-2018 are the test set."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata

FIRST_YEAR, LAST_YEAR, TEST_FROM = 1991, 2018, 2010
# the supersector of each series, from the two digits after "CEU" in its id; the totals
# (05, 06, 08, "NS") and the temporary-help series ("PH") are left out
SUPERSECTORS = {
    "10": "mining and logging",
    "20": "construction",
    "30": "manufacturing",
    "31": "manufacturing",
    "32": "manufacturing",
    "40": "trade, transportation and utilities",
    "41": "trade, transportation and utilities",
    "42": "trade, transportation and utilities",
    "43": "trade, transportation and utilities",
    "44": "trade, transportation and utilities",
    "50": "information",
    "55": "financial activities",
    "60": "professional and business services",
    "65": "education and health services",
    "70": "leisure and hospitality",
    "80": "other services",
    "90": "government",
}


def _years() -> pd.DataFrame:
    raw = rdata("fpp3", "us_employment").dropna(subset=["Employed"])
    raw["supersector"] = raw["Series_ID"].str.slice(3, 5).map(SUPERSECTORS)
    raw = raw.dropna(subset=["supersector"])
    when = pd.to_datetime(raw["Month"], format="%Y %b")
    raw["year"], raw["month"] = when.dt.year, when.dt.month
    wide = raw.pivot_table(index=["Series_ID", "year"], columns="month", values="Employed")
    wide = wide.dropna()  # whole years only
    before = wide.rename(index=lambda y: y + 1, level="year")  # the year before, aligned
    both = wide.rename(columns=lambda m: f"{m}_now").join(
        before.rename(columns=lambda m: f"{m}_before"), how="inner"
    )
    mean = wide.loc[both.index].mean(axis=1)
    out = pd.DataFrame(index=both.index)
    for m in range(1, 13):
        out[f"before_{m:02d}"] = (100 * both[f"{m}_before"] / mean).round(3)
    for m in range(1, 13):
        out[f"month_{m:02d}"] = (100 * both[f"{m}_now"] / mean).round(3)
    out = out.reset_index()
    sector = raw.groupby("Series_ID")["supersector"].first()
    out["supersector"] = out["Series_ID"].map(sector)
    out = out[(out["year"] >= FIRST_YEAR) & (out["year"] <= LAST_YEAR)]
    return out.drop(columns=["Series_ID"]).reset_index(drop=True)


def prepare() -> Prepared:
    df = splits.with_ids(_years(), seed=1991)
    split = splits.time_split(df, order="year", test_rows=int((df["year"] >= TEST_FROM).sum()))
    usage = splits.usage(split.test, seed=0, ordered=True)
    return assemble(
        split,
        usage,
        metric="macro_f1",
        target="supersector",
        split_info=SplitInfo("time", "year"),
    )
