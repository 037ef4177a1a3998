from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

features = [c for c in test.columns if c != "id"]
X, y = train[features], (train["uninsured"] == "yes").to_numpy()
# Shallow trees find the income and schooling steps and the couple's interactions.
model = HistGradientBoostingClassifier(
    learning_rate=0.05, max_iter=200, max_depth=3, random_state=0
)

# The threshold is a parameter like any other: choose the one that maximises F1 on
# out-of-fold probabilities of train, never on the leaderboard.
folds = StratifiedKFold(5, shuffle=True, random_state=0)
oof = cross_val_predict(model, X, y, cv=folds, method="predict_proba")[:, 1]
thresholds = np.arange(0.10, 0.60, 0.01)
f1 = [2 * (y & (oof >= t)).sum() / (y.sum() + (oof >= t).sum()) for t in thresholds]
threshold = thresholds[int(np.argmax(f1))]

model.fit(X, y)
p = model.predict_proba(test[features])[:, 1]
submission = pd.DataFrame({"id": test["id"]})
submission["uninsured"] = np.where(p >= threshold, "yes", "no")
