from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# One number per moment: how strong the wind is now. A storm close to 64 knots is close to
# becoming a hurricane, but this cannot see whether it is strengthening or weakening.
features = ["wind_now"]
model = make_pipeline(StandardScaler(), LogisticRegression())
model.fit(train[features], train["hurricane_in_24h"])

submission = pd.DataFrame({"id": test["id"]})
submission["hurricane_in_24h"] = model.predict_proba(test[features])[:, 1]
