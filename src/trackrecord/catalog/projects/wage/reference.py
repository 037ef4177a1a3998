from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, SplineTransformer

categorical = ["maritl", "race", "education", "jobclass", "health", "health_ins"]
preprocess = make_column_transformer(
    (SplineTransformer(n_knots=5, degree=3), ["age"]),  # wages rise, then level off
    ("passthrough", ["year"]),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
# a penalized linear model of log(wage); alpha chosen by leave-one-out on train
model = TransformedTargetRegressor(
    make_pipeline(preprocess, RidgeCV(alphas=np.logspace(-2, 3, 11))),
    func=np.log,
    inverse_func=np.exp,
)
model.fit(train, train["wage"])

submission = pd.DataFrame({"id": test["id"], "wage": model.predict(test)})
