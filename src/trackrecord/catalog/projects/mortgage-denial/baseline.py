from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# the two ratios every underwriter looks at first: debt payments to income, loan to value
features = ["pirat", "lvrat"]
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
model.fit(train[features], train["deny"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
# one column: the probability of 'yes'
submission["deny"] = proba[:, list(model.classes_).index("yes")]
