from sklearn.model_selection import KFold

labels = ["N1_agrees", "N2_agrees", "N3_agrees", "N4_agrees", "N5_agrees"]


def score(rows: pd.DataFrame, submission: pd.DataFrame) -> float:
    """Hamming loss on held-out rows: every label column at once."""
    predicted = submission.set_index("id").loc[rows["id"]]
    return metric(rows[labels], predicted[labels])


# The test rows are a random sample: so are these folds.
folds = KFold(n_splits=5, shuffle=True, random_state=0)
scores = []
for k, (fit, held) in enumerate(folds.split(train), 1):
    held_out = train.iloc[held].reset_index(drop=True)
    submission = baseline(train.iloc[fit].reset_index(drop=True), held_out[test.columns])
    scores.append(score(held_out, submission))
    print(f"fold {k}: {metric.name} = {scores[-1]:.4f}")
print(f"validation {metric.name}: {np.mean(scores):.4f} (sd {np.std(scores):.4f} over 5 folds)")
