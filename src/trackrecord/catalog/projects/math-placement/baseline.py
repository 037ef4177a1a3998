from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

features = ["PlcmtScore"]
# the grade as a number (0 = F ... 12 = A+), a straight line through the placement score
model = make_pipeline(SimpleImputer(strategy="median"), LinearRegression())
model.fit(train[features], train["grade"])

submission = pd.DataFrame({"id": test["id"]})
# round to the nearest grade the scale has
submission["grade"] = np.clip(np.round(model.predict(test[features])), 0, 12).astype(int)
