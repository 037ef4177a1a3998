from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

numeric = ["year", "displacement", "cylinders", "gears"]
categorical = ["maker", "transmission", "aspiration", "drive", "fuel", "vehicle_class"]
features = numeric + categorical

# Trees need no scaling. The text columns become integer codes that the booster treats as
# categories (a split can group any makers together), not as numbers in an order; a maker
# never seen in train gets its own code.
encode = OrdinalEncoder(
    handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2
)
preprocess = make_column_transformer(("passthrough", numeric), (encode, categorical))
booster = HistGradientBoostingRegressor(
    categorical_features=list(range(len(numeric), len(features))), random_state=0
)
model = make_pipeline(preprocess, booster)

# A little tuning, on folds of train only.
grid = {
    "histgradientboostingregressor__learning_rate": [0.05, 0.1],
    "histgradientboostingregressor__max_leaf_nodes": [15, 31],
    "histgradientboostingregressor__max_iter": [300],
}
folds = KFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="r2", cv=folds, n_jobs=1)
search.fit(train[features], train["mpg"])
print("chosen:", search.best_params_, "cross-validated R2:", round(search.best_score_, 4))

submission = pd.DataFrame({"id": test["id"]})
submission["mpg"] = search.predict(test[features])
