from sklearn.linear_model import LinearRegression

features = ["gcsescore"]
# the A-level points as a number, a straight line through the GCSE average
model = LinearRegression()
model.fit(train[features], train["score"])

submission = pd.DataFrame({"id": test["id"]})
# A-level points are even: round to the nearest of 0, 2, 4, 6, 8, 10
points = 2 * np.round(model.predict(test[features]) / 2)
submission["score"] = np.clip(points, 0, 10).astype(int)
