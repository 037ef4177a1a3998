from sklearn.neighbors import KNeighborsRegressor

features = ["totexp", "size", "age"]
# The 15 most similar households, measured on the raw columns: total spending runs in the
# hundreds of thousands and household size in ones, so "similar" means similar spending.
model = KNeighborsRegressor(n_neighbors=15)
model.fit(train[features], train["wfood"])

submission = pd.DataFrame({"id": test["id"]})
submission["wfood"] = model.predict(test[features])
