from sklearn.linear_model import LogisticRegression

# The household's situation, not the well's danger: how far to walk, how much schooling.
features = ["distance", "education"]
model = LogisticRegression()
model.fit(train[features], train["switch"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
submission["switch"] = proba[:, list(model.classes_).index("yes")]
