from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

categorical = ["pclass", "sex"]
numeric = ["age", "sibsp", "parch"]
features = categorical + numeric
# Trees need no scaling, and gradient boosting sends missing ages down their own branch.
preprocess = make_column_transformer(
    (OrdinalEncoder(), categorical),
    ("passthrough", numeric),
)
model = make_pipeline(preprocess, HistGradientBoostingClassifier(max_iter=150, random_state=0))
# A little tuning, on folds of train only.
grid = {
    "histgradientboostingclassifier__max_depth": [2, 3, 4],
    "histgradientboostingclassifier__learning_rate": [0.05, 0.1],
}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="accuracy", cv=folds, n_jobs=1)
search.fit(train[features], train["survived"])

submission = pd.DataFrame({"id": test["id"]})
submission["survived"] = search.predict(test[features])
