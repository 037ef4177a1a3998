from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

# the textbook wage equation: schooling and experience
features = ["grade", "ttl_exp"]
model = make_pipeline(SimpleImputer(strategy="median"), LinearRegression())
model.fit(train[features], train["ln_wage"])

submission = pd.DataFrame({"id": test["id"]})
submission["ln_wage"] = model.predict(test[features])
