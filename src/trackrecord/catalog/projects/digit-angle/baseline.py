from sklearn.linear_model import Ridge

pixels = [c for c in test.columns if c.startswith("px_")]
model = Ridge(alpha=10.0)
model.fit(train[pixels] / 255.0, train["angle"])

submission = pd.DataFrame({"id": test["id"]})
submission["angle"] = model.predict(test[pixels] / 255.0)
