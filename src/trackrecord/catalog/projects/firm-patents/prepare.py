"""Patents of 181 firms, 1983-1991 (Ecdat `PatentsRD`): forecast 1989-1991 from the years
before, with each year's R&D spending known."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_YEAR = 1989


def table() -> pd.DataFrame:
    raw = rdata("Ecdat", "PatentsRD")
    df = raw.rename(columns={"fi": "firm", "rdexp": "log_rd", "spil": "log_spillover"})
    df = df[["firm", "year", "sector", "geo", "log_rd", "log_spillover", "patent"]]
    return df.rename(columns={"patent": "patents"}).round(6)


def prepare() -> Prepared:
    df = with_ids(table().sort_values(["year", "firm"], kind="stable"))
    test_rows = int((df["year"] >= FIRST_TEST_YEAR).sum())
    split = splits.time_split(df, order="year", test_rows=test_rows)
    return assemble(
        split,
        splits.usage(split.test, seed=0, ordered=True),
        metric="poisson_deviance",
        target="patents",
        clip_min=0.001,
        split_info=SplitInfo("time", "year"),
    )
