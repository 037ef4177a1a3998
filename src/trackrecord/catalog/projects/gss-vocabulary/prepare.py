"""The General Social Survey's ten-word vocabulary test, 1978-2016: the surveys from 2012 on
are the test set."""

from collections.abc import Sequence

from trackrecord.catalog import splits
from trackrecord.catalog.model import Contender, SplitInfo
from trackrecord.catalog.ordinal import ordinal_field
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_YEAR = 2012


def prepare() -> Prepared:
    df = rdata("carData", "GSSvocab")
    # ageGroup and educGroup are coarse copies of age and educ.
    df = df.drop(columns=["ageGroup", "educGroup"]).dropna(subset=["vocab"])
    df = df.rename(columns={"nativeBorn": "native_born", "educ": "education"})
    df["vocab"] = df["vocab"].astype(int)
    df = with_ids(df)
    later = df["year"] >= FIRST_TEST_YEAR
    test = df[later].sort_values(["year", splits.ID])  # time order: earlier rows are Public
    split = splits.Split(df[~later].sort_values(splits.ID), test)
    return assemble(
        split,
        splits.usage(test, seed=0, ordered=True),
        metric="quadratic_weighted_kappa",
        target="vocab",
        split_info=SplitInfo("time", "year"),
    )


def field(data: Prepared) -> Sequence[Contender]:
    return ordinal_field()
