from sklearn.linear_model import LogisticRegression

# The chief investigators' track record: how many of their earlier applications were
# funded, and how many were not.
features = ["success_ci", "unsuccess_ci"]
model = LogisticRegression(max_iter=1000)
model.fit(train[features], train["class"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
# one column: the probability of 'successful'
submission["class"] = proba[:, list(model.classes_).index("successful")]
