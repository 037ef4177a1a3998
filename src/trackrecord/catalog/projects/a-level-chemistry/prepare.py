"""A-level chemistry results of 1997 in England, with each student's GCSE average; whole
schools are held out."""

from collections.abc import Sequence

from trackrecord.catalog import splits
from trackrecord.catalog.model import Contender, SplitInfo
from trackrecord.catalog.ordinal import ordinal_field
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

SEED = 97


def prepare() -> Prepared:
    df = rdata("mlmRev", "Chem97")
    # student is the source's row number; gcsecnt is gcsescore minus its mean.
    df = df.drop(columns=["student", "gcsecnt"])
    df = df.rename(columns={"lea": "authority", "age": "age_months"})
    df["score"] = df["score"].astype(int)
    df = with_ids(df)
    split = splits.group_split(df, group="school", test_size=0.3, seed=SEED)
    return assemble(
        split,
        splits.usage(split.test, seed=SEED, group="school"),
        metric="quadratic_weighted_kappa",
        target="score",
        split_info=SplitInfo("group", "school"),
    )


def field(data: Prepared) -> Sequence[Contender]:
    return ordinal_field()
