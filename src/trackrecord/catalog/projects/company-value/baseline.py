from sklearn.linear_model import LinearRegression

features = ["sales"]
model = LinearRegression()
model.fit(train[features], train["marketvalue"])

submission = pd.DataFrame({"id": test["id"]})
submission["marketvalue"] = np.clip(model.predict(test[features]), 0.0, None)
