from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# schooling and age: the two columns every income model starts from
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["age"]),
    (OneHotEncoder(handle_unknown="ignore"), ["educcat"]),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=1000))
model.fit(train[["age", "educcat"]], train["high_income"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[["age", "educcat"]])
# one column: the probability of 'yes'
submission["high_income"] = proba[:, list(model.classes_).index("yes")]
