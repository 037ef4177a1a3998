from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder


def calendar(df):
    # the season, not the date itself: test dates never occur in train
    date = pd.to_datetime(df["arrival_date"])
    return df.drop(columns=["id", "arrival_date", "arrival_date_num"]).assign(
        week=date.dt.isocalendar().week.astype(int),
        month=date.dt.month,
        weekday=date.dt.day_of_week,
        nights=df["stays_in_weekend_nights"] + df["stays_in_week_nights"],
    )


X, X_test = calendar(train.drop(columns=["avg_price_per_room"])), calendar(test)
categorical = list(X.select_dtypes(exclude="number").columns)
encode = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, min_frequency=5)
preprocess = make_column_transformer((encode, categorical), remainder="passthrough")
boosting = HistGradientBoostingRegressor(
    loss="absolute_error",
    max_iter=300,
    max_leaf_nodes=31,
    categorical_features=list(range(len(categorical))),
    random_state=0,
)
model = make_pipeline(preprocess, boosting)
model.fit(X, train["avg_price_per_room"])

submission = pd.DataFrame({"id": test["id"], "avg_price_per_room": model.predict(X_test)})
