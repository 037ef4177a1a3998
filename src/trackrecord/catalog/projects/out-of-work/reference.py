from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold, cross_val_predict

# Each person's history: train and test rows together, in year order per person. Only the
# training years carry an answer, so test rows see the past and never their own label.
rows = pd.concat([train.assign(known=True), test.assign(known=False)], ignore_index=True)
rows = rows.sort_values(["person", "year"], kind="stable")
by_person = rows.groupby("person")
past_out = (rows["outwork"] == "yes").where(rows["known"]).astype(float)
rows["last_out"] = past_out.groupby(rows["person"]).shift(1)
rows["last_out"] = rows["last_out"].groupby(rows["person"]).ffill()
rows["share_out"] = past_out.groupby(rows["person"]).transform(
    lambda s: s.shift(1).expanding().mean()
)
rows["years_seen"] = by_person.cumcount()
rows["last_income"] = by_person["hhninc"].shift(1)

own = [c for c in test.columns if c not in ("id", "person")]
features = own + ["last_out", "share_out", "years_seen", "last_income"]
fit, score = rows[rows["known"]], rows[~rows["known"]]
X, y = fit[features], (fit["outwork"] == "yes").to_numpy()
model = HistGradientBoostingClassifier(
    learning_rate=0.05, max_iter=300, max_depth=4, random_state=0
)

# The threshold that maximises F1 on out-of-fold predictions, each person's rows held
# out together (GroupKFold), so no fold learns a person from their other years.
oof = cross_val_predict(
    model, X, y, groups=fit["person"], cv=GroupKFold(5), method="predict_proba"
)[:, 1]
thresholds = np.arange(0.20, 0.70, 0.02)
f1 = [2 * (y & (oof >= t)).sum() / (y.sum() + (oof >= t).sum()) for t in thresholds]
threshold = thresholds[int(np.argmax(f1))]

model.fit(X, y)
p = model.predict_proba(score[features])[:, 1]
submission = pd.DataFrame({"id": score["id"].to_numpy()})
submission["outwork"] = np.where(p >= threshold, "yes", "no")
