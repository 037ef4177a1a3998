# Hold out what some users did next, as the test set does: one user in five with 20 or more
# movies loses the later half of their log (in time); their candidates are the 300 most
# watched movies of the rest that they have not watched, relevant = in the held-out half.
rng = np.random.default_rng(0)
log = train.sort_values(["timestamp", "id"], kind="stable")
counts = log["userId"].value_counts()
eligible = np.sort(counts[counts >= 20].index.to_numpy())
chosen = rng.choice(eligible, size=len(eligible) // 5, replace=False)
theirs = log[log["userId"].isin(chosen)]
rank = theirs.groupby("userId").cumcount()
size = theirs.groupby("userId")["movieId"].transform("size")
later = theirs[rank >= size // 2]
fit = log.drop(index=later.index).reset_index(drop=True)

movies = fit.drop_duplicates("movieId").set_index("movieId")[["title", "year", "genres"]]
popular = fit["movieId"].value_counts().index[:300]
watched = set(zip(fit["userId"], fit["movieId"]))
next_ones = set(zip(later["userId"], later["movieId"]))
rows = []
for user, when in later.groupby("userId")["timestamp"].min().items():
    mine = movies.loc[[m for m in popular if (user, m) not in watched]].reset_index()
    mine.insert(0, "userId", user)
    mine["timestamp"] = when
    rows.append(mine)
held_out = pd.concat(rows, ignore_index=True)
held_out.insert(0, "id", np.arange(len(held_out)))
held_out["relevant"] = [int(p in next_ones) for p in zip(held_out["userId"], held_out["movieId"])]

submission = baseline(fit, held_out[test.columns])
value = score(held_out, submission)
print(f"held out the later half of {len(chosen)} users: {len(held_out)} candidate rows")
print(f"validation {metric.name}: {value:.4f}")
