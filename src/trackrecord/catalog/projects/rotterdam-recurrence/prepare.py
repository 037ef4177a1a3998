"""Primary breast cancer patients of the Rotterdam tumour bank: time to recurrence or
death, whichever came first; the patients operated on from 1990 on are the test set."""

from collections.abc import Sequence

import numpy as np

from trackrecord.catalog import survival
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids


def prepare() -> Prepared:
    df = rdata("survival", "rotterdam").rename(
        columns={
            "meno": "postmenopausal",
            "hormon": "hormonal_therapy",
            "chemo": "chemotherapy",
        }
    )
    # Recurrence-free survival, as Royston and Altman define it: the first of a recurrence
    # and death. A patient with no recurrence recorded is followed until death or last seen.
    df["rfs_event"] = ((df["recur"] == 1) | (df["death"] == 1)).astype(int)
    df["rfs_days"] = np.where(df["recur"] == 1, df["rtime"], df["dtime"])
    df = df.drop(columns=["pid", "recur", "rtime", "death", "dtime"])
    return survival.prepare(
        with_ids(df),
        time="rfs_days",
        event="rfs_event",
        seed=7,
        test_size=0.35,
        split="time",
        order="year",
    )


def field(data: Prepared) -> Sequence[Contender]:
    return survival.survival_field("rfs_days", "rfs_event")
