from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import RidgeCV
from sklearn.preprocessing import SplineTransformer

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
items = [c for c in train.columns if c.startswith("item_")]
# Smooth curves instead of straight lines: knots spread over the opening hours (11 to 21)
# and over the distances seen in train.
hour_curve = SplineTransformer(n_knots=8, degree=3).fit(pd.DataFrame({"hour": [11.0, 21.0]}))
distance_curve = SplineTransformer(n_knots=6, degree=3).fit(train[["distance"]])


def features(df):
    """The rush over the day has its own shape on each day of the week, so the hour's
    curve is built once per day (zero on the other days); distance gets a curve too, and
    the item counts enter as they are."""
    hours = hour_curve.transform(df[["hour"]])
    columns = {}
    for day in DAYS:
        on_day = (df["day"] == day).to_numpy(dtype=float)
        for j in range(hours.shape[1]):
            columns[f"hour{j}_{day}"] = hours[:, j] * on_day
    distance = distance_curve.transform(df[["distance"]])
    for j in range(distance.shape[1]):
        columns[f"distance{j}"] = distance[:, j]
    return pd.concat([pd.DataFrame(columns, index=df.index), df[items]], axis=1)


# On the log scale the effects multiply: a busy hour slows every order by a share, not by
# a fixed number of minutes. A light ridge penalty, chosen by cross-validation on train.
model = TransformedTargetRegressor(
    RidgeCV(alphas=np.logspace(-4, 1, 11)), func=np.log, inverse_func=np.exp
)
model.fit(features(train), train["time_to_delivery"])

submission = pd.DataFrame({"id": test["id"]})
submission["time_to_delivery"] = model.predict(features(test))
