from sklearn.ensemble import ExtraTreesClassifier

features = ["crl_tot", "dollar", "bang", "money", "n000", "make"]
# Trees split on thresholds, so the skewed, zero-heavy counts need no log or scaling;
# averaging 300 randomized trees smooths the ranking.
model = ExtraTreesClassifier(n_estimators=300, min_samples_leaf=2, random_state=0, n_jobs=1)
model.fit(train[features], train["spam"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
submission["spam"] = proba[:, list(model.classes_).index("yes")]
