"""PC prices 1993-1995: the last eleven months are the test set (prices fall every month)."""

from trackrecord.catalog.pitfalls import time_prepared
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_MONTH = 25  # `trend` counts months from January 1993: 25 is January 1995


def prepare() -> Prepared:
    df = with_ids(rdata("Ecdat", "Computers"), seed=1995)
    return time_prepared(
        df,
        time="trend",
        first_test=FIRST_TEST_MONTH,
        metric="rmsle",
        target="price",
        clip_min=0.0,
    )
