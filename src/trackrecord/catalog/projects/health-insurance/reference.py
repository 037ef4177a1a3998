from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

numeric = ["age", "family"]
categorical = ["health", "limit", "gender", "married", "selfemp", "region", "ethnicity", "education"]
features = numeric + categorical

# One column per category level: a logistic regression can then give "no schooling" and
# "master" their own effects, with no pretended order between them.
preprocess = make_column_transformer(
    (StandardScaler(), numeric),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))

# The penalty C, chosen by 5-fold cross-validation on train only.
folds = StratifiedKFold(5, shuffle=True, random_state=0)
grid = {"logisticregression__C": [0.1, 1.0, 10.0]}
search = GridSearchCV(model, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(train[features], train["insurance"])
print("chosen:", search.best_params_, "cross-validated ROC AUC:", round(search.best_score_, 4))

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(test[features])
submission["insurance"] = proba[:, list(search.classes_).index("no")]  # P(no insurance)
