import numpy as np
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def features(df):
    """Sizes on the log scale: a company twice as big is worth about twice as much, so
    value, sales and assets are related by ratios, which logs turn into straight lines."""
    out = df[["country", "category"]].copy()
    out["log_sales"] = np.log(df["sales"])
    out["log_assets"] = np.log(df["assets"])
    # A loss cannot be logged: profits get a log of their own, losses a flag and a log.
    profits = df["profits"]
    out["log_profit"] = np.log(profits.clip(lower=0.01))
    out["loss"] = (profits < 0).astype(float)
    out["log_loss"] = np.log1p((-profits).clip(lower=0))
    out["margin"] = profits / df["sales"]
    return out


numeric = ["log_sales", "log_assets", "log_profit", "loss", "log_loss", "margin"]
categorical = ["country", "category"]
preprocess = make_column_transformer(
    # five profits are missing: the median fills them
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    # 61 countries, many with one or two companies: rare ones share one column
    (OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5), categorical),
)
# Fit on log(value) and return exp(prediction): the loss then matches RMSLE.
model = TransformedTargetRegressor(
    make_pipeline(preprocess, RidgeCV(alphas=np.logspace(-2, 3, 11))),
    func=np.log,
    inverse_func=np.exp,
)
model.fit(features(train), train["marketvalue"])

submission = pd.DataFrame({"id": test["id"]})
submission["marketvalue"] = model.predict(features(test))
