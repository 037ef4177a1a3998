from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

features = [c for c in test.columns if c != "id"]
categorical = ["heating", "fuel", "sewer", "waterfront", "newConstruction", "centralAir"]
preprocess = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical),
    remainder="passthrough",
)
# many deep trees, each split choosing among half of the columns
forest = RandomForestRegressor(
    n_estimators=300, max_features=0.5, min_samples_leaf=2, random_state=0, n_jobs=1
)
model = make_pipeline(preprocess, forest)
model.fit(train[features], train["price"])

submission = pd.DataFrame({"id": test["id"], "price": model.predict(test[features])})
