from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold

features = ["inc", "marr", "male", "age", "fsize", "nettfa", "e401k", "p401k"]
# Assets and income act through thresholds and interactions (a saver with a 401(k) needs
# an IRA less): shallow boosted trees find them without hand-made terms.
boosting = HistGradientBoostingClassifier(
    learning_rate=0.05, max_iter=300, min_samples_leaf=40, random_state=0
)
# how large may each tree grow? 5 folds of train decide
grid = {"max_leaf_nodes": [7, 15, 31]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(boosting, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(train[features], train["pira"])

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(test[features])
submission["pira"] = proba[:, list(search.classes_).index("yes")]
