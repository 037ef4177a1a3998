from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

X_train, X_test = train.drop(columns=["id", "churn"]), test.drop(columns=["id"])
for X in (X_train, X_test):
    # Brand-new customers (tenure 0) have not been billed yet: their total is 0, not unknown.
    X["total_charges"] = X["total_charges"].fillna(0)
numeric = [c for c in X_train.columns if pd.api.types.is_numeric_dtype(X_train[c])]
categorical = [c for c in X_train.columns if c not in numeric]
preprocess = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), categorical),
    (StandardScaler(), numeric),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))
grid = {"logisticregression__C": [0.03, 0.1, 0.3, 1.0, 3.0]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(X_train, train["churn"])

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(X_test)
submission["churn"] = proba[:, list(search.classes_).index("Yes")]
