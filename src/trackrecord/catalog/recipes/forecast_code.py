"""The forecasting projects' baselines and references as code: the build scores exactly
these snippets; the starter notebook shows the baseline, and the reference is revealed
after finalizing. Each reads `train`, `test` (and `pd`, `np`) and defines `submission`."""

from __future__ import annotations

from trackrecord.catalog.contenders import CodeContender

CO2_REFERENCE = CodeContender(
    "reference: linear trend + yearly Fourier terms on the last 15 years",
    """from sklearn.linear_model import LinearRegression


def features(df):
    years = df["t"].to_numpy() / 52.1775  # years since the first record
    columns = {"years": years}
    for k in (1, 2, 3):  # the yearly cycle: three harmonics
        columns[f"sin{k}"] = np.sin(2 * np.pi * k * years)
        columns[f"cos{k}"] = np.cos(2 * np.pi * k * years)
    return pd.DataFrame(columns)


# The growth rate of CO2 changes over decades: only the recent trend says where it goes next
recent = train[train["t"] > train["t"].max() - 15 * 52.1775]
model = LinearRegression().fit(features(recent), recent["co2"])

submission = pd.DataFrame({"id": test["id"]})
submission["co2"] = model.predict(features(test))
""",
    "A straight trend fitted on the last fifteen years only, plus three sine/cosine pairs"
    " for the yearly cycle: a trend fitted on four decades bends the wrong way.",
)

BIRTHS_BASELINE = CodeContender(
    "baseline: linear regression on trend, weekday and month (last five years)",
    """from sklearn.compose import make_column_transformer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

recent = train[train["year"] > train["year"].max() - 5]  # the level drifts: recent years
features = ["t", "wday", "month"]
model = make_pipeline(
    make_column_transformer(
        (StandardScaler(), ["t"]),
        (OneHotEncoder(handle_unknown="ignore"), ["wday", "month"]),
    ),
    LinearRegression(),
)
model.fit(recent[features], recent["births"])

submission = pd.DataFrame({"id": test["id"]})
submission["births"] = model.predict(test[features])
""",
    "A linear trend plus one effect per weekday and per month, fitted on the last five"
    " years of the history.",
)

BIRTHS_REFERENCE = CodeContender(
    "reference: ridge on log births with holiday calendar terms (last three years)",
    """from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def calendar(df):
    out = df[["t", "wday", "month"]].copy()
    # fixed-date holidays (4 July, Christmas) are a month and a day
    out["month_day"] = df["month"] * 100 + df["day_of_month"]
    # moving holidays (Thanksgiving, Labor Day) are the n-th weekday of a month
    nth = ((df["day_of_month"] - 1) // 7).astype(str)
    out["nth_weekday"] = df["wday"] + nth + "-" + df["month"].astype(str)
    return out


recent = train[train["year"] > train["year"].max() - 3]
categorical = ["wday", "month", "month_day", "nth_weekday"]
model = make_pipeline(
    make_column_transformer(
        (StandardScaler(), ["t"]),
        (OneHotEncoder(handle_unknown="ignore"), categorical),
    ),
    Ridge(alpha=0.3),
)
model.fit(calendar(recent), np.log(recent["births"]))  # effects are multiplicative

submission = pd.DataFrame({"id": test["id"]})
submission["births"] = np.exp(model.predict(calendar(test)))
""",
    "Log births on a trend, weekday, month, the day of the year (fixed holidays) and the"
    " n-th weekday of the month (moving holidays), fitted on the last three years.",
)

ELEC_BASELINE = CodeContender(
    "baseline: linear regression on half hour x work day and a temperature curve",
    """from sklearn.linear_model import LinearRegression


def design(df):
    # one level per half hour of a work day and of a day off ...
    slot = df["half_hour"].astype(str) + "_" + df["work_day"].astype(str)
    X = pd.get_dummies(slot).astype(float)
    # ... and a U-shaped temperature effect: heating when cold, cooling when hot
    X["temperature"] = df["temperature"]
    X["temperature_sq"] = (df["temperature"] - 18) ** 2
    return X


X = design(train)
model = LinearRegression().fit(X, train["demand"])

submission = pd.DataFrame({"id": test["id"]})
submission["demand"] = model.predict(design(test).reindex(columns=X.columns, fill_value=0))
""",
    "One level per half hour of work days and days off, plus a quadratic effect of the"
    " temperature.",
)

ELEC_REFERENCE = CodeContender(
    "reference: gradient boosting (absolute loss) on calendar and smoothed temperatures",
    """from sklearn.ensemble import HistGradientBoostingRegressor

# Buildings heat up and cool down slowly: demand follows the recent temperatures too.
# Temperature is given for every half hour of train and test, so smooth it over both.
rows = pd.concat([train, test]).sort_values("timestamp")
rows["temp_6h"] = rows["temperature"].rolling(12, min_periods=1).mean()
rows["temp_24h"] = rows["temperature"].rolling(48, min_periods=1).mean()
features = ["day_of_week", "half_hour", "work_day", "temperature", "temp_6h", "temp_24h"]

history = rows[rows["id"].isin(train["id"])]
model = HistGradientBoostingRegressor(
    loss="absolute_error", max_iter=600, learning_rate=0.05, random_state=0
)
model.fit(history[features], history["demand"])

horizon = rows.set_index("id").loc[test["id"], features]
submission = pd.DataFrame({"id": test["id"]})
submission["demand"] = model.predict(horizon)
""",
    "Gradient boosting on the calendar, the work-day flag, the temperature and its 6- and"
    " 24-hour moving averages; no trend index, which trees cannot extrapolate.",
)

CHICAGO_REFERENCE = CodeContender(
    "reference: linear regression with US holidays and weather (last five years)",
    """from pandas.tseries.holiday import USFederalHolidayCalendar
from sklearn.linear_model import LinearRegression

HOLIDAYS = USFederalHolidayCalendar().holidays("2000-01-01", "2017-12-31")


def design(df):
    dates = pd.to_datetime(df["date"])
    day = pd.Timedelta(days=1)
    calendar = pd.DataFrame(
        {
            "day_of_week": df["day_of_week"],
            "month": df["month"],
            "holiday": dates.isin(HOLIDAYS),
            # the days around a holiday are quiet too (a long weekend)
            "near_holiday": (dates + day).isin(HOLIDAYS) + 2 * (dates - day).isin(HOLIDAYS),
            "christmas_week": ((dates.dt.month == 12) & (dates.dt.day >= 24))
            | ((dates.dt.month == 1) & (dates.dt.day == 1)),
        }
    )
    X = pd.get_dummies(calendar.astype(str)).astype(float)
    X["years"] = df["t"] / 365.25  # the trend
    for column in ["temp", "percip", "weather_rain", "weather_snow"]:
        X[column] = df[column]
    return X


recent = train[train["year"] > train["year"].max() - 5]  # ridership levels shift
X = design(recent)
model = LinearRegression().fit(X, recent["ridership"])

submission = pd.DataFrame({"id": test["id"]})
submission["ridership"] = model.predict(design(test).reindex(columns=X.columns, fill_value=0))
""",
    "A linear model on the last five years: weekday, month, US federal holidays and the"
    " days around them, the Christmas week, a trend and the weather.",
)

CALLS_REFERENCE = CodeContender(
    "reference: gradient boosting (absolute loss) on interval and weekday, last 80 days",
    """from sklearn.ensemble import HistGradientBoostingRegressor

# The shape of the day and of the week, learned from the last 80 working days. No day
# index: trees cannot extrapolate it, they would freeze the level of its last values.
recent = train[train["day"] > train["day"].max() - 80]
features = ["interval", "day_of_week"]
model = HistGradientBoostingRegressor(
    loss="absolute_error", max_iter=300, learning_rate=0.05, random_state=0
)
model.fit(recent[features], recent["calls"])

submission = pd.DataFrame({"id": test["id"]})
submission["calls"] = model.predict(test[features])
""",
    "Gradient boosting with the absolute loss (MASE reads absolute errors) on the interval"
    " of the day and the weekday, fitted on the last 80 working days.",
)
