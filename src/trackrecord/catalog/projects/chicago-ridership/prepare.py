"""Daily boardings at Clark/Lake, Chicago (modeldata `Chicago`), with the weather and the
games known a day ahead; the last 728 days are the test set."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.forecast import forecast_field, naive_forecasts, temporal
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata


def chicago() -> pd.DataFrame:
    raw = rdata("modeldata", "Chicago")
    dates = pd.to_datetime(raw["date"])
    df = pd.DataFrame({"date": dates.dt.strftime("%Y-%m-%d"), "t": np.arange(len(raw))})
    df["day_of_week"] = dates.dt.day_of_week
    df["month"] = dates.dt.month
    df["day_of_year"] = dates.dt.day_of_year
    df["year"] = dates.dt.year
    # Weather and the home/away games of the city's teams are known a day ahead; the other
    # stations' ridership on the same day is not, so it is left out.
    known = [c for c in raw.columns if c.startswith(("temp", "percip", "weather_", "wind"))]
    games = [c for c in raw.columns if c.endswith(("_Home", "_Away"))]
    df = pd.concat([df, raw[known + games].reset_index(drop=True)], axis=1)
    df["ridership"] = raw["ridership"].to_numpy()
    return df


def prepare() -> Prepared:
    return temporal(chicago(), time="date", metric="mae", target="ridership", test_rows=728)


def field(data: Prepared) -> Sequence[Contender]:
    """The forecasting field on every public column but the id and the time column."""
    time = data.spec.time_column
    features = [c for c in data.test.columns if c not in ("id", time)]
    return forecast_field(periods=(7, 365.25), time="t", features=features)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The naive forecasts: they must stay 2 SE below the baseline."""
    return naive_forecasts((7, 364))
