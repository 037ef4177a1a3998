from sklearn.linear_model import LogisticRegression

# One column, the first a shopper sees at the shelf: how much dearer Minute Maid is today.
features = ["PriceDiff"]
model = LogisticRegression()
model.fit(train[features], train["Purchase"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
submission["Purchase"] = proba[:, list(model.classes_).index("MM")]
