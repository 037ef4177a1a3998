"""Weekly CO2 at Mauna Loa (statsmodels `co2`), the weeks without a record dropped; the last
440 weeks are the test set."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.forecast import forecast_field, naive_forecasts, temporal
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared


def co2() -> pd.DataFrame:
    import statsmodels.api as sm

    raw = sm.datasets.co2.load_pandas().data
    df = pd.DataFrame({"date": raw.index, "co2": raw["co2"].to_numpy()})
    df["t"] = np.arange(len(df))  # weeks since the first record, gaps included
    df = df.dropna().reset_index(drop=True)
    df["year"] = df["date"].dt.year
    df["week_of_year"] = df["date"].dt.isocalendar().week.astype(int).to_numpy()
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df[["date", "t", "year", "week_of_year", "co2"]]


def prepare() -> Prepared:
    return temporal(co2(), time="date", metric="mae", target="co2", test_rows=440)


def field(data: Prepared) -> Sequence[Contender]:
    """The forecasting field on every public column but the id and the time column."""
    time = data.spec.time_column
    features = [c for c in data.test.columns if c not in ("id", time)]
    return forecast_field(periods=(52.1775,), time="t", features=features)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The naive forecasts: they must stay 2 SE below the baseline."""
    return naive_forecasts((52,))
