"""Children treated for Wilms tumour in two US trials: time to relapse, censored at the
last follow-up."""

from collections.abc import Sequence

from trackrecord.catalog import survival
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

HISTOLOGY = {1: "favorable", 2: "unfavorable"}


def prepare() -> Prepared:
    df = rdata("survival", "nwtco")
    df = df.rename(
        columns={
            "instit": "histology_local",
            "histol": "histology_central",
            "edrel": "days",
            "rel": "relapse",
        }
    )
    df["histology_local"] = df["histology_local"].map(HISTOLOGY)
    df["histology_central"] = df["histology_central"].map(HISTOLOGY)
    df["study"] = df["study"].map({3: "NWTS-3", 4: "NWTS-4"})
    # seqno is the source's row number; in.subcohort marks the random sample of a
    # case-cohort design: neither says anything about a child.
    df = df[["histology_local", "histology_central", "stage", "study", "age", "days", "relapse"]]
    return survival.prepare(with_ids(df), time="days", event="relapse", seed=3, test_size=0.5)


def field(data: Prepared) -> Sequence[Contender]:
    return survival.survival_field("days", "relapse")
