from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

# the three grades are ordered: code them in order, worst first
grades = {
    "cut": ["Fair", "Good", "Very Good", "Premium", "Ideal"],
    "color": ["J", "I", "H", "G", "F", "E", "D"],
    "clarity": ["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"],
}
features = [c for c in test.columns if c != "id"]
preprocess = make_column_transformer(
    (OrdinalEncoder(categories=list(grades.values())), list(grades)),
    remainder="passthrough",
)
# fit on log(price): the metric judges relative errors
model = TransformedTargetRegressor(
    make_pipeline(preprocess, HistGradientBoostingRegressor(random_state=0)),
    func=np.log,
    inverse_func=np.exp,
)
model.fit(train[features], train["price"])

submission = pd.DataFrame({"id": test["id"], "price": model.predict(test[features])})
