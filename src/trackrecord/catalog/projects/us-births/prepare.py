"""Daily births in the United States, 1969-1988 (mosaicData `Births`); the last two years are
the test set."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.forecast import forecast_field, naive_forecasts, temporal
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata


def births() -> pd.DataFrame:
    df = rdata("mosaicData", "Births")
    df["t"] = np.arange(len(df))
    return df[["date", "t", "year", "month", "day_of_month", "day_of_year", "wday", "births"]]


def prepare() -> Prepared:
    return temporal(births(), time="date", metric="mape", target="births", test_rows=731)


def field(data: Prepared) -> Sequence[Contender]:
    """The forecasting field on every public column but the id and the time column."""
    time = data.spec.time_column
    features = [c for c in data.test.columns if c not in ("id", time)]
    return forecast_field(periods=(7, 365.25), time="t", features=features)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The naive forecasts: they must stay 2 SE below the baseline."""
    return naive_forecasts((7, 364))
