from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, KFold


def features(df):
    binder = df["cement"] + df["blast_furnace_slag"] + df["fly_ash"]
    return df.drop(columns=["id"]).assign(
        water_cement=df["water"] / df["cement"],
        water_binder=df["water"] / binder,
        log_age=np.log(df["age"]),
    )


X, X_test = features(train.drop(columns=["compressive_strength"])), features(test)
boosting = HistGradientBoostingRegressor(max_iter=500, random_state=0)
grid = {"learning_rate": [0.05, 0.1], "max_leaf_nodes": [15, 31]}
model = GridSearchCV(boosting, grid, cv=KFold(3, shuffle=True, random_state=0),
                     scoring="neg_root_mean_squared_error", n_jobs=1)
model.fit(X, train["compressive_strength"])

submission = pd.DataFrame({"id": test["id"], "compressive_strength": model.predict(X_test)})
