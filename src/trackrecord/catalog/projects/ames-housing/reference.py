from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

features = [c for c in test.columns if c != "id"]
categorical = list(train[features].select_dtypes(exclude="number").columns)
preprocess = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical),
    remainder="passthrough",
)
boosting = HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, random_state=0)
# fit on log(price): the metric judges relative errors
model = TransformedTargetRegressor(
    make_pipeline(preprocess, boosting), func=np.log, inverse_func=np.exp
)
model.fit(train[features], train["Sale_Price"])

submission = pd.DataFrame({"id": test["id"], "Sale_Price": model.predict(test[features])})
