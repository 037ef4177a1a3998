"""Minneapolis police stops, 2017: which stops end in a search of the person?

Race and gender are in train.csv for auditing the model's errors group by group; they are
not in test.csv, because the prediction must not be made on them.
"""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog import fields
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import time_prepared, train_only, transformed
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

PROTECTED = ("race", "preRace", "gender")  # train.csv only: for the audit
FIRST_TEST_DAY = "2017-10-01"


def prepare() -> Prepared:
    df = rdata("carData", "MplsStops")
    df = df[df["personSearch"].notna()]
    local = pd.to_datetime(df["date"], utc=True).dt.tz_convert("America/Chicago")
    df = df.assign(
        date=local.dt.strftime("%Y-%m-%d %H:%M:%S"), gender=df["gender"].fillna("Unknown")
    )
    # idNum numbers the stops in time order; MDC is the same for every stop with a search
    # recorded; a vehicle search and a citation are decided during the same stop
    df = df.drop(columns=["idNum", "MDC", "vehicleSearch", "citationIssued"])
    data = time_prepared(
        with_ids(df, seed=2017),
        time="date",
        first_test=FIRST_TEST_DAY,
        metric="roc_auc",
        target="personSearch",
    )
    return train_only(data, PROTECTED)


def calendar(X: pd.DataFrame) -> pd.DataFrame:
    """The date as the hour, the weekday and the month (a model cannot read a timestamp)."""
    when = pd.to_datetime(X["date"])
    return X.drop(columns="date").assign(
        hour=when.dt.hour, weekday=when.dt.day_of_week, month=when.dt.month
    )


def field(data: Prepared) -> Sequence[Contender]:
    """The standard classifiers on what test.csv holds, the date as calendar features."""
    standard = fields.classification_field(len(data.train), proba=True)
    return [transformed(c, calendar) for c in standard]
