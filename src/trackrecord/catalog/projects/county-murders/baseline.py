from sklearn.linear_model import PoissonRegressor

# Bigger counties have more murders: a Poisson regression on the log of the population.
X_train = np.log(train[["popul"]])
model = PoissonRegressor(alpha=0.0, max_iter=1000)
model.fit(X_train, train["murders"])

submission = pd.DataFrame({"id": test["id"]})
submission["murders"] = model.predict(np.log(test[["popul"]]))
