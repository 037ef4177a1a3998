from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = ["education"]
# each score 0-10 as its own class: the most likely class for each row
model = make_pipeline(
    SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=2000)
)
model.fit(train[features], train["vocab"])

submission = pd.DataFrame({"id": test["id"]})
submission["vocab"] = model.predict(test[features])
