from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler

# The age curve is learnt once on train: knots at quantiles of the training ages.
splines = SplineTransformer(n_knots=6, degree=3, knots="quantile").fit(train[["age"]])
education_median = train["education"].median()


def features(df):
    male = (df["sex"] == "Male").to_numpy(dtype=float)[:, None]
    curve = splines.transform(df[["age"]])
    parts = {
        # one wage curve over age for women and another for men
        **{f"age_f{i}": curve[:, i] * (1 - male[:, 0]) for i in range(curve.shape[1])},
        **{f"age_m{i}": curve[:, i] * male[:, 0] for i in range(curve.shape[1])},
        "male": male[:, 0],
        "education": df["education"].fillna(education_median),
        # a missing schooling record is information, not just a gap
        "education_missing": df["education"].isna() * 1.0,
        "french": (df["language"] == "French") * 1.0,
        "other_language": (df["language"] == "Other") * 1.0,
        "language_missing": df["language"].isna() * 1.0,
    }
    out = pd.DataFrame(parts, index=df.index)
    # schooling pays more as careers go on
    out["education_x_age"] = out["education"] * (df["age"] - 40) / 10
    return out


model = TransformedTargetRegressor(
    make_pipeline(
        StandardScaler(),
        RidgeCV(alphas=np.logspace(-3, 3, 13), cv=KFold(5, shuffle=True, random_state=0)),
    ),
    func=np.log,
    inverse_func=np.exp,
)
model.fit(features(train), train["wages"])

submission = pd.DataFrame({"id": test["id"], "wages": model.predict(features(test))})
