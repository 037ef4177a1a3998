from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = ["age", "family"]
model = make_pipeline(StandardScaler(), LogisticRegression())
model.fit(train[features], train["insurance"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
# one column: the probability of 'no' (the person has no health insurance)
submission["insurance"] = proba[:, list(model.classes_).index("no")]
