"""Half-hourly electricity demand in Victoria, 2014 (fpp2 `elecdemand`), with the temperature
and the work days; the last eight weeks are the test set."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.forecast import forecast_field, naive_forecasts, temporal
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata

HALF_HOURS = 48
WEEK_HALF_HOURS = 7 * HALF_HOURS


def half_hourly(start: str, n: int) -> pd.DataFrame:
    stamps = pd.date_range(start, periods=n, freq="30min")
    return pd.DataFrame(
        {
            "timestamp": stamps.strftime("%Y-%m-%d %H:%M"),
            "t": np.arange(n),
            "day_of_week": stamps.day_of_week,
            "half_hour": stamps.hour * 2 + stamps.minute // 30,
        }
    )


def prepare() -> Prepared:
    raw = rdata("fpp2", "elecdemand")
    df = half_hourly("2014-01-01", len(raw))
    df["work_day"] = raw["WorkDay"].to_numpy()
    df["temperature"] = raw["Temperature"].to_numpy()
    df["demand"] = raw["Demand"].to_numpy()
    return temporal(
        df, time="timestamp", metric="mape", target="demand", test_rows=8 * WEEK_HALF_HOURS
    )


def field(data: Prepared) -> Sequence[Contender]:
    """The forecasting field on every public column but the id and the time column."""
    time = data.spec.time_column
    features = [c for c in data.test.columns if c not in ("id", time)]
    return forecast_field(periods=(HALF_HOURS, WEEK_HALF_HOURS), time="t", features=features)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The naive forecasts: they must stay 2 SE below the baseline."""
    return naive_forecasts((HALF_HOURS, WEEK_HALF_HOURS))
