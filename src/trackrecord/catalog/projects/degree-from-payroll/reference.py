from sklearn.ensemble import HistGradientBoostingClassifier

years = sorted(int(c.split("_")[-1]) for c in train.columns if c.startswith("ln_wage_"))


def series(frame, name):
    # one column per survey year, one row per woman; NaN where she did not answer
    return frame[[f"{name}_{y}" for y in years]].to_numpy(dtype=float)


def life(frame):
    # The same calendar year finds women at different ages (born 1941-1954): read each
    # sequence on the clock of age, where a degree shows (late start, a steeper wage path).
    age = np.array(years)[None, :] - frame["birth_year"].to_numpy()[:, None]
    wage, hours, exp = series(frame, "ln_wage"), series(frame, "hours"), series(frame, "ttl_exp")
    tenure = series(frame, "tenure")
    seen = ~np.isnan(wage)
    at = np.where(seen, age, np.nan)
    out = {
        "answers": seen.sum(axis=1),
        "first_age": np.nanmin(at, axis=1),
        "last_age": np.nanmax(at, axis=1),
        "max_wage": np.nanmax(wage, axis=1),
        "max_tenure": np.nanmax(tenure, axis=1),
    }
    # years of adult life not (yet) at work: a student's years show up here
    not_worked = at - 18 - exp
    for low, high in ((14, 21), (22, 25), (26, 30), (31, 35), (36, 46)):
        band = seen & (age >= low) & (age <= high)
        out[f"wage_{low}_{high}"] = np.nanmean(np.where(band, wage, np.nan), axis=1)
        out[f"hours_{low}_{high}"] = np.nanmean(np.where(band, hours, np.nan), axis=1)
        out[f"not_worked_{low}_{high}"] = np.nanmean(np.where(band, not_worked, np.nan), axis=1)
    # wage growth per year of age (least-squares slope over the years she answered)
    centred = at - np.nanmean(at, axis=1, keepdims=True)
    gain = np.nansum(centred * (wage - np.nanmean(wage, axis=1, keepdims=True)), axis=1)
    out["wage_slope"] = gain / np.maximum(np.nansum(centred**2, axis=1), 1e-9)
    features = pd.DataFrame(out, index=frame.index)
    raw = frame.drop(columns=["id", "college"], errors="ignore")
    return pd.concat([raw, features], axis=1)


model = HistGradientBoostingClassifier(random_state=0)
model.fit(life(train), train["college"] == "yes")

submission = pd.DataFrame({"id": test["id"]})
submission["college"] = model.predict_proba(life(test))[:, 1]
