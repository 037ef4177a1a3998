# Hold out what some planes did next, as the test set does: one plane in five with 20 or
# more departures loses the later half of its year; its candidates are the 60 busiest
# destinations of the rest that it has not flown to, relevant = flown to in the held-out half.
rng = np.random.default_rng(0)
log = train.sort_values(["departure", "id"], kind="stable")
counts = log["tailnum"].value_counts()
eligible = np.sort(counts[counts >= 20].index.to_numpy())
chosen = rng.choice(eligible, size=len(eligible) // 5, replace=False)
theirs = log[log["tailnum"].isin(chosen)]
rank = theirs.groupby("tailnum").cumcount()
size = theirs.groupby("tailnum")["dest"].transform("size")
later = theirs[rank >= size // 2]
fit = log.drop(index=later.index).reset_index(drop=True)

airline = fit.drop_duplicates("tailnum").set_index("tailnum")["carrier"]
busiest = fit["dest"].value_counts().index[:60]
flown = set(zip(fit["tailnum"], fit["dest"]))
next_ones = set(zip(later["tailnum"], later["dest"]))
rows = []
for plane, when in later.groupby("tailnum")["departure"].min().items():
    mine = pd.DataFrame({"dest": [d for d in busiest if (plane, d) not in flown]})
    mine.insert(0, "tailnum", plane)
    mine.insert(1, "carrier", airline[plane])
    mine["departure"] = when
    rows.append(mine)
held_out = pd.concat(rows, ignore_index=True)
held_out.insert(0, "id", np.arange(len(held_out)))
pairs = zip(held_out["tailnum"], held_out["dest"])
held_out["relevant"] = [int(p in next_ones) for p in pairs]

submission = baseline(fit, held_out[test.columns])
value = score(held_out, submission)
print(f"held out the later half of {len(chosen)} planes: {len(held_out)} candidate rows")
print(f"validation {metric.name}: {value:.4f}")
