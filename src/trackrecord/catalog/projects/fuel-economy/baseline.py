from sklearn.linear_model import LinearRegression

features = ["displacement"]
model = LinearRegression()
model.fit(train[features], train["mpg"])

submission = pd.DataFrame({"id": test["id"]})
submission["mpg"] = model.predict(test[features])
