from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = ["age", "female", "educ"]
model = make_pipeline(StandardScaler(), LogisticRegression())
model.fit(train[features], train["outwork"])

# predict() labels at a probability of 0.5, and each row stands alone: the person's
# earlier years in train are not used.
submission = pd.DataFrame({"id": test["id"]})
submission["outwork"] = model.predict(test[features])
