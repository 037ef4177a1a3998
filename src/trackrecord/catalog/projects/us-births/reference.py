from sklearn.compose import make_column_transformer
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
