"""Every departure from New York City's three airports in 2013, with the weather at the
airport in the scheduled hour and the plane's age and size: will it leave late?"""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog import fields
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import sampled, time_prepared, transformed
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_DAY = "2013-10-01"
WEATHER = [
    "temp",
    "dewp",
    "humid",
    "wind_dir",
    "wind_speed",
    "wind_gust",
    "precip",
    "pressure",
    "visib",
]
HOUR = ["origin", "year", "month", "day", "hour"]


def prepare() -> Prepared:
    flights = rdata("nycflights13", "flights")
    weather = rdata("nycflights13", "weather")[[*HOUR, *WEATHER]].drop_duplicates(HOUR)
    planes = rdata("nycflights13", "planes")[["tailnum", "year", "seats"]].rename(
        columns={"year": "plane_year"}
    )
    df = flights.merge(weather, on=HOUR, how="left").merge(planes, on="tailnum", how="left")

    def two(column: str) -> pd.Series:
        return df[column].astype(str).str.zfill(2)

    df = df.assign(
        sched_dep="2013-"
        + two("month")
        + "-"
        + two("day")
        + " "
        + two("hour")
        + ":"
        + two("minute"),
        # late: left 15 minutes or more after the schedule, or never left (cancelled)
        late=((df["dep_delay"] >= 15) | df["dep_delay"].isna()).map({True: "yes", False: "no"}),
    )
    df[WEATHER] = df[WEATHER].round(1)  # the stations report tenths at best
    keep = [
        "sched_dep",
        "sched_arr_time",
        "carrier",
        "flight",
        "tailnum",
        "origin",
        "dest",
    ]
    keep += ["distance", *WEATHER, "plane_year", "seats", "late"]
    return time_prepared(
        with_ids(df[keep], seed=2013),
        time="sched_dep",
        first_test=FIRST_TEST_DAY,
        metric="roc_auc",
        target="late",
    )


def calendar(X: pd.DataFrame) -> pd.DataFrame:
    """The scheduled departure as hour, weekday and month; the plane's and the flight's
    numbers left out (thousands of levels that one-hot encoding would blow up)."""
    when = pd.to_datetime(X["sched_dep"], format="%Y-%m-%d %H:%M")
    return X.drop(columns=["sched_dep", "tailnum", "flight"]).assign(
        hour=when.dt.hour, weekday=when.dt.day_of_week, month=when.dt.month
    )


# Models whose cost grows faster than the rows are tried on a sample, as one would.
SAMPLE_ROWS = {
    "k-nearest neighbours (k=25)": 5_000,
    "random forest": 30_000,
    "extra trees": 30_000,
}


def field(data: Prepared) -> Sequence[Contender]:
    """The standard classifiers (slow ones on a sample), and boosting on a small sample
    beside boosting on every row: what the other 230,000 rows are worth."""
    out: list[Contender] = []
    for c in fields.classification_field(len(data.train), proba=True):
        model = transformed(c, calendar)
        rows = SAMPLE_ROWS.get(c.name)
        out.append(sampled(model, rows) if rows else model)
        if c.name.startswith("gradient boosting"):
            out.append(sampled(model, 20_000))
    return out
