from sklearn.model_selection import StratifiedKFold


def score(rows: pd.DataFrame, submission: pd.DataFrame) -> float:
    """Harrell's C on held-out rows: the metric reads the two answer columns together."""
    predicted = submission.set_index("id").loc[rows["id"]]
    return metric(rows[["days", "event"]], predicted["risk"])


# The test set is a random half of the subjects, stratified on `event`: so are these folds.
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = []
for k, (fit, held) in enumerate(folds.split(train, train["event"]), 1):
    held_out = train.iloc[held].reset_index(drop=True)
    submission = baseline(train.iloc[fit].reset_index(drop=True), held_out[test.columns])
    scores.append(score(held_out, submission))
    print(f"fold {k}: {metric.name} = {scores[-1]:.4f}")
print(f"validation {metric.name}: {np.mean(scores):.4f} (sd {np.std(scores):.4f} over 5 folds)")
