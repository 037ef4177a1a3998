"""Adults with non-alcoholic fatty liver disease and their matched controls, followed from
the index date to the first new cardiovascular event or death; the diagnoses recorded up
to the index date are one text column."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog import survival
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

CARDIOVASCULAR = ["MI", "ang/isc", "stroke", "heart failure", "afib", "cardiac arrest"]


def history(events: pd.DataFrame) -> pd.Series:
    """Each subject's diagnoses up to the index date, oldest first, as `name:days`."""
    known = events[(events["days"] <= 0) & (events["event"] != "nafld")]
    known = known.sort_values(["id", "days", "event"], kind="stable")
    items = known["event"] + ":" + known["days"].astype(str)
    return items.groupby(known["id"]).agg("; ".join)


def prepare() -> Prepared:
    subjects = rdata("survival", "nafld1")
    events = rdata("survival", "nafld3")
    # A case's NAFLD diagnosis is its index date (day 0); a control can be diagnosed
    # later, which is the future, like every diagnosis after day 0.
    cases = events.loc[(events["event"] == "nafld") & (events["days"] <= 0), "id"]
    later = events[events["event"].isin(CARDIOVASCULAR) & (events["days"] > 0)]
    first = subjects["id"].map(later.groupby("id")["days"].min())
    seen = first.notna() & (first <= subjects["futime"])  # recorded while still followed
    df = subjects.assign(
        nafld=subjects["id"].isin(cases).astype(int),
        history=subjects["id"].map(history(events)).fillna("none"),
        days=np.where(seen, first, subjects["futime"]).astype(int),
        event=(seen | (subjects["status"] == 1)).astype(int),
    )
    # the source's subject and matching ids are left out: ids are drawn afresh
    df = df[["age", "male", "weight", "height", "bmi", "nafld", "history", "days", "event"]]
    return survival.prepare(with_ids(df), time="days", event="event", seed=17, test_size=0.5)


def field(data: Prepared) -> Sequence[Contender]:
    return survival.survival_field("days", "event")
