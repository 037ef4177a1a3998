from sklearn.linear_model import PoissonRegressor

# more research spending, more patents: log(mean patents) = a + b * log(R&D)
model = PoissonRegressor(alpha=1e-6, max_iter=1000).fit(train[["log_rd"]], train["patents"])

submission = pd.DataFrame({"id": test["id"]})
submission["patents"] = model.predict(test[["log_rd"]])
