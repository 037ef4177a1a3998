from sklearn.model_selection import GridSearchCV, KFold
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def features(df):
    """What makes households alike for food: spending per person (on the log scale, where a
    doubling counts the same for the poor and the rich), household size, age, town, sex."""
    return pd.DataFrame(
        {
            "log_spend_per_person": np.log(df["totexp"] / df["size"]),
            "log_size": np.log(df["size"]),
            "age": df["age"],
            "town": df["town"],
            "woman": (df["sex"] == "woman").astype(float),
        }
    )


# One scale for every feature, so that each counts in the distance; how many neighbours to
# average is chosen on 5 folds of train.
model = make_pipeline(StandardScaler(), KNeighborsRegressor())
grid = {"kneighborsregressor__n_neighbors": [10, 20, 40, 60, 80, 120]}
folds = KFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, cv=folds, scoring="neg_root_mean_squared_error", n_jobs=1)
search.fit(features(train), train["wfood"])

submission = pd.DataFrame({"id": test["id"]})
submission["wfood"] = search.predict(features(test))
