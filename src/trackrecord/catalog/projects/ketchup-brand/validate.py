# Hold out what households bought next, as the test set does: for one household in five,
# the later half of its purchases in train is scored, fitted on everything else.
rng = np.random.default_rng(0)
households = np.sort(train["household"].unique())
chosen = rng.choice(households, size=len(households) // 5, replace=False)
ordered = train.sort_values(["household", "purchase"])
theirs = ordered[ordered["household"].isin(chosen)]
rank = theirs.groupby("household").cumcount()
size = theirs.groupby("household")["purchase"].transform("size")
later = theirs[rank >= size // 2]
fit = train.drop(index=later.index).reset_index(drop=True)
held_out = later.reset_index(drop=True)

submission = baseline(fit, held_out[test.columns])
value = score(held_out, submission)
print(f"held out the later half of {len(chosen)} households: {len(held_out)} purchases")
print(f"validation {metric.name}: {value:.4f}")
