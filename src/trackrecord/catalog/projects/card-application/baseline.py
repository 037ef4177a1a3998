from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.compose import make_column_transformer

# what a first look at an applicant reads: the income and whether they own their home
preprocess = make_column_transformer(
    (StandardScaler(), ["income"]),
    (OneHotEncoder(handle_unknown="ignore"), ["owner"]),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=1000))
model.fit(train[["income", "owner"]], train["card"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[["income", "owner"]])
# one column: the probability of 'yes'
submission["card"] = proba[:, list(model.classes_).index("yes")]
