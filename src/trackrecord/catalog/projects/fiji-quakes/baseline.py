from sklearn.neighbors import KNeighborsRegressor

features = ["lat", "long", "mag", "stations"]
model = KNeighborsRegressor(n_neighbors=5)
model.fit(train[features], train["depth"])

submission = pd.DataFrame({"id": test["id"]})
submission["depth"] = model.predict(test[features])
