from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

# One column, schooling, in a straight line; the answers are read as numbers 0, 1, 2.
features = ["educ"]
model = make_pipeline(SimpleImputer(strategy="median"), LinearRegression())
model.fit(train[features], train["happy"])

# Rounding would call nearly everyone "pretty happy" (1): instead give each answer to the
# same share of people as in train, the least happy share to the lowest predictions.
shares = train["happy"].value_counts(normalize=True).sort_index().cumsum().iloc[:-1]
cuts = np.quantile(model.predict(train[features]), shares)
submission = pd.DataFrame({"id": test["id"]})
submission["happy"] = np.searchsorted(cuts, model.predict(test[features]))
