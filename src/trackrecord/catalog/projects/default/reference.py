from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

features = ["student", "balance", "income"]
preprocess = make_column_transformer(
    (OneHotEncoder(drop="if_binary"), ["student"]),
    (StandardScaler(), ["balance", "income"]),  # one scale for every number
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))
grid = {"logisticregression__C": [0.01, 0.1, 1.0, 10.0]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(train[features], train["default"])

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(test[features])
submission["default"] = proba[:, list(search.classes_).index("Yes")]
