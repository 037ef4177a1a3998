from sklearn.linear_model import LogisticRegression

# One column, the obvious first guess: richer households save more, so more of them hold an IRA.
features = ["inc"]
model = LogisticRegression()
model.fit(train[features], train["pira"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
submission["pira"] = proba[:, list(model.classes_).index("yes")]
