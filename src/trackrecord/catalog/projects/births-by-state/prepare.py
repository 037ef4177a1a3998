"""US births per state and day, 1969-1988 (372,000 rows): forecast every state's 1988."""

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from trackrecord.catalog import fields
from trackrecord.catalog.contenders import FunctionContender, SklearnContender
from trackrecord.catalog.model import Contender, Spec
from trackrecord.catalog.pitfalls import sampled, time_prepared, transformed
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_DAY = "1988-01-01"
SAMPLE_ROWS = {"k-nearest neighbours (k=15), log target": 20_000}
SAMPLE_ROWS |= {"random forest, log target": 30_000, "extra trees, log target": 30_000}


def prepare() -> Prepared:
    raw = rdata("mosaicData", "Birthdays").assign(date=lambda d: d["date"].str.slice(0, 10))
    # a few state-days are split over two rows (a handful of births apart): add them up
    df = raw.groupby(["state", "date"], as_index=False).agg(
        wday=("wday", "first"), births=("births", "sum")
    )
    return time_prepared(
        with_ids(df, seed=1969),
        time="date",
        first_test=FIRST_TEST_DAY,
        metric="poisson_deviance",
        target="births",
        clip_min=0.5,
    )


def calendar(X: pd.DataFrame) -> pd.DataFrame:
    """The date as year, month, day of the month, day of the year and weekday number."""
    when = pd.to_datetime(X["date"])
    return X.drop(columns=["date", "wday"]).assign(
        year=when.dt.year,
        month=when.dt.month,
        day=when.dt.day,
        day_of_year=when.dt.day_of_year,
        weekday=when.dt.day_of_week,
    )


def field(data: Prepared) -> Sequence[Contender]:
    """The standard regressors on the calendar (slow ones on a sample), and Poisson
    boosting on every row."""
    out: list[Contender] = []
    for c in fields.regression_field(len(data.train), log=True):
        model = transformed(c, calendar)
        rows = SAMPLE_ROWS.get(c.name)
        out.append(sampled(model, rows) if rows else model)
    poisson = SklearnContender(
        "gradient boosting (Poisson loss)",
        fields.for_trees(lambda: HistGradientBoostingRegressor(loss="poisson", random_state=0)),
    )
    out.append(transformed(poisson, calendar))
    return out


def _same_weekday_last_year(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> np.ndarray:
    births = train.set_index(["state", "date"])["births"]
    before = (pd.to_datetime(test["date"]) - pd.Timedelta(days=364)).dt.strftime("%Y-%m-%d")
    found = births.reindex(pd.MultiIndex.from_arrays([test["state"], before])).to_numpy()
    return np.where(np.isnan(found), births.mean(), found)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The seasonal naive forecast: each state's births on the same weekday 52 weeks before."""
    return (FunctionContender("seasonal naive: 52 weeks before", _same_weekday_last_year),)
