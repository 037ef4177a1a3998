from pandas.tseries.holiday import USFederalHolidayCalendar
from sklearn.ensemble import HistGradientBoostingRegressor

# 350,000 rows, 51 series: one model for all states, on the ratio of each day's births to
# the state's daily mean of the year before. The ratio carries the weekday, the season and
# the holidays, which every state shares; the level carries the size of the state and its
# trend, which no tree could extrapolate to a year it has never seen.
holidays = set(USFederalHolidayCalendar().holidays("1969-01-01", "1988-12-31").strftime("%Y-%m-%d"))
year = train["date"].str.slice(0, 4).astype(int)
daily_mean = train.groupby([train["state"], year])["births"].mean()


def level(df):
    """The state's mean births per day in the year before the row's year."""
    before = df["date"].str.slice(0, 4).astype(int) - 1
    return daily_mean.reindex(pd.MultiIndex.from_arrays([df["state"], before])).to_numpy()


def near(days, shift):
    return (days + pd.Timedelta(days=shift)).dt.strftime("%Y-%m-%d").isin(holidays)


def features(df):
    when = pd.to_datetime(df["date"])
    X = pd.DataFrame(
        {
            "weekday": when.dt.day_of_week,
            "month": when.dt.month,
            "day": when.dt.day,
            "day_of_year": when.dt.day_of_year,
            "holiday": df["date"].isin(holidays),
            "day_before_holiday": near(when, 1),
            "day_after_holiday": near(when, -1),
        }
    ).astype(np.float32)
    X["state"] = pd.Categorical(df["state"], categories=sorted(train["state"].unique()))
    return X


recent = train[train["date"] >= "1980-01-01"]  # the last years say enough about the calendar
weight = level(recent)
model = HistGradientBoostingRegressor(
    loss="poisson", max_iter=300, categorical_features="from_dtype", random_state=0
)
# a Poisson loss on births / level, weighted by the level: the same as on the births
model.fit(features(recent), recent["births"] / weight, sample_weight=weight)

submission = pd.DataFrame({"id": test["id"]})
submission["births"] = model.predict(features(test)) * level(test)
