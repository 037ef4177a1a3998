"""Olmsted County residents aged 50 and over: a blood sample, then follow-up for death."""

from collections.abc import Sequence

from trackrecord.catalog import survival
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids


def prepare() -> Prepared:
    df = rdata("survival", "flchain").rename(
        columns={
            "sample.yr": "sample_year",
            "flc.grp": "flc_group",
            "futime": "days",
            "death": "died",
        }
    )
    # `chapter`, the cause of death, exists only for those who died: it is the answer
    # itself. Three rows died on the day of their blood test: nothing to predict there.
    df = df.drop(columns=["chapter"])
    df = df[df["days"] > 0]
    return survival.prepare(with_ids(df), time="days", event="died", seed=5, test_size=0.3)


def field(data: Prepared) -> Sequence[Contender]:
    return survival.survival_field("days", "died")
