from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = ["seniority", "income"]
model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression())
model.fit(train[features], train["status"])

submission = pd.DataFrame({"id": test["id"]})
submission["status"] = model.predict_proba(test[features])[:, list(model.classes_).index("bad")]
