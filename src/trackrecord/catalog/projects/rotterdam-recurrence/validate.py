def score(rows: pd.DataFrame, submission: pd.DataFrame) -> float:
    """Harrell's C on held-out rows: the metric reads the two answer columns together."""
    predicted = submission.set_index("id").loc[rows["id"]]
    return metric(rows[["rfs_days", "rfs_event"]], predicted["risk"])


# The test patients were operated on after every training patient: hold out the last fifth
# of train in time (whole years), fit on the years before.
ordered = train.sort_values("year", kind="stable")
start = ordered["year"].iloc[int(len(ordered) * 0.8)]  # the held-out part begins here
fit = ordered[ordered["year"] < start].reset_index(drop=True)
held_out = ordered[ordered["year"] >= start].reset_index(drop=True)
submission = baseline(fit, held_out[test.columns])
value = score(held_out, submission)
print(
    f"fitted on the {len(fit)} patients before {start}, scored on the {len(held_out)} from then on"
)
print(f"validation {metric.name}: {value:.4f}")
