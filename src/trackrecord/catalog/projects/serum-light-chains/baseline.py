from sklearn.linear_model import LogisticRegression

features = ["kappa", "lambda"]
# Did the person die during follow-up? (ignores when, and who was followed only briefly)
model = LogisticRegression()
model.fit(train[features], train["died"])

submission = pd.DataFrame({"id": test["id"]})
# the risk score: higher means death is expected sooner
submission["risk"] = model.predict_proba(test[features])[:, 1]
