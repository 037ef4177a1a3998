from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

categorical = ["winner", "number"]
numeric = [c for c in test.columns if c not in categorical + ["id"]]
features = categorical + numeric
# Trees need no scaling and take the skewed counts as they are.
preprocess = make_column_transformer((OrdinalEncoder(), categorical), ("passthrough", numeric))
model = make_pipeline(
    preprocess, RandomForestClassifier(n_estimators=400, random_state=0, n_jobs=1)
)
X, y = train[features], (train["spam"] == "spam").to_numpy()

# F1 rewards the threshold chosen for it, not 0.5: read it off out-of-fold
# probabilities on train, never off the test set.
folds = StratifiedKFold(5, shuffle=True, random_state=0)
oof = cross_val_predict(model, X, y, cv=folds, method="predict_proba")[:, 1]
thresholds = np.arange(0.10, 0.70, 0.02)
f1 = [2 * (y & (oof >= t)).sum() / (y.sum() + (oof >= t).sum()) for t in thresholds]
threshold = thresholds[int(np.argmax(f1))]

model.fit(X, y)
p = model.predict_proba(test[features])[:, 1]
submission = pd.DataFrame({"id": test["id"]})
submission["spam"] = np.where(p >= threshold, "spam", "ham")
