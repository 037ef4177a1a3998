from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

numeric = ["education", "experience"]
categorical = ["ethnicity", "smsa", "region", "parttime"]
preprocess = make_column_transformer(
    ("passthrough", numeric),
    (OrdinalEncoder(), categorical),
)
boosting = HistGradientBoostingRegressor(
    learning_rate=0.05,
    max_iter=300,
    min_samples_leaf=50,
    categorical_features=[2, 3, 4, 5],  # the columns after the two numeric ones
    random_state=0,
)
# fit on log(wage): the metric judges relative errors
model = TransformedTargetRegressor(
    make_pipeline(preprocess, boosting), func=np.log, inverse_func=np.exp
)
model.fit(train[numeric + categorical], train["wage"])

submission = pd.DataFrame({"id": test["id"], "wage": model.predict(test[numeric + categorical])})
