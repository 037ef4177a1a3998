from sklearn.linear_model import LogisticRegression

# A multinomial logit on the four shelf prices: each product's own price and its rivals'.
prices = ["price_heinz28", "price_heinz32", "price_heinz41", "price_hunts32"]
model = LogisticRegression(max_iter=2000)
model.fit(train[prices], train["choice"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[prices])
for i, product in enumerate(model.classes_):
    submission[product] = proba[:, i]
