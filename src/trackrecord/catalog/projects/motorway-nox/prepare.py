"""Hourly NOx pollution beside a busy motorway (robustbase `NOxEmissions`), with the
traffic's NOx emissions and the wind speed; the last eight weeks are the test set."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog.forecast import forecast_field, naive_forecasts, temporal
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata

DAY = 24
WEEK = 7 * DAY
TEST_DAYS = 56
# The source gives day numbers only. The day of the week with by far the least traffic
# (julday % 7 == 4) is taken as Sunday (lorries may not drive on Sundays in Switzerland,
# where the data come from), so Monday is julday % 7 == 5.
MONDAY = 5


def table() -> pd.DataFrame:
    raw = rdata("robustbase", "NOxEmissions")
    # Only whole days: in a day with missing hours, nothing says which hours are missing.
    whole = raw["julday"].map(raw["julday"].value_counts()) == DAY
    raw = raw[whole].reset_index(drop=True)
    hour = raw.groupby("julday").cumcount()
    return pd.DataFrame(
        {
            "t": (raw["julday"] - raw["julday"].min()) * DAY + hour,
            "day": raw["julday"] - raw["julday"].min(),
            "day_of_week": (raw["julday"] - MONDAY) % 7,
            "hour": hour,
            "emission": raw["LNOxEm"].round(4),
            "wind": (raw["sqrtWS"] ** 2).round(3),
            "nox": raw["LNOx"].round(4),
        }
    )


def prepare() -> Prepared:
    df = table()
    test_days = df["day"] >= df["day"].max() - (TEST_DAYS - 1)
    # keep whole days in the test set, even where a missing day sits in the last eight weeks
    return temporal(
        df, time="t", metric="mase", target="nox", test_rows=int(test_days.sum()), scale_lag=DAY
    )


def field(data: Prepared) -> Sequence[Contender]:
    """The forecasting field on every public column but the id (t is the trend index)."""
    features = [c for c in data.test.columns if c != "id"]
    return forecast_field(periods=(DAY, WEEK), time="t", features=features)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The naive forecasts: they must stay 2 SE below the baseline."""
    return naive_forecasts((DAY, WEEK))
