from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def track(df):
    # The last day read as a sequence: where the storm is, how fast it is strengthening
    # (wind up, pressure down over 6, 12 and 24 hours), and where and how fast it moves.
    out = pd.DataFrame(index=df.index)
    out["wind"] = df["wind_now"]
    out["pressure"] = df["pressure_now"]
    out["lat"] = df["lat_now"]
    out["long"] = df["long_now"]
    for h in (6, 12, 24):
        out[f"wind_change_{h}h"] = df["wind_now"] - df[f"wind_{h}h_ago"]
        out[f"pressure_change_{h}h"] = df["pressure_now"] - df[f"pressure_{h}h_ago"]
    out["to_hurricane"] = 64 - df["wind_now"]
    out["north_24h"] = df["lat_now"] - df["lat_24h_ago"]
    out["west_24h"] = (df["long_24h_ago"] - df["long_now"]) * np.cos(np.radians(df["lat_now"]))
    out["speed_24h"] = np.hypot(out["north_24h"], out["west_24h"])
    out["month"] = df["month"]
    out["status"] = df["status"]
    return out


X, Z = track(train), track(test)
numeric = [c for c in X.columns if c != "status"]
y = train["hurricane_in_24h"]
linear = make_pipeline(
    make_column_transformer(
        (StandardScaler(), numeric), (OneHotEncoder(handle_unknown="ignore"), ["status"])
    ),
    LogisticRegression(C=1.0, max_iter=3000),
).fit(X, y)
Xb, Zb = X.assign(status=X["status"].astype("category")), Z.assign(
    status=pd.Categorical(Z["status"], categories=X["status"].astype("category").cat.categories)
)
trees = HistGradientBoostingClassifier(
    learning_rate=0.03, max_iter=400, min_samples_leaf=40, categorical_features="from_dtype",
    random_state=0,
).fit(Xb, y)

submission = pd.DataFrame({"id": test["id"]})
submission["hurricane_in_24h"] = (
    0.5 * linear.predict_proba(Z)[:, 1] + 0.5 * trees.predict_proba(Zb)[:, 1]
)
