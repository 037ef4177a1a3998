from statsmodels.duration.hazard_regression import PHReg

DIAGNOSES = [
    "MI", "afib", "ang/isc", "cardiac arrest", "diabetes",
    "dyslipidemia", "heart failure", "htn", "stroke",
]
CARDIOVASCULAR = {"MI", "afib", "ang/isc", "cardiac arrest", "heart failure", "stroke"}


def parse(history):
    """'htn:-1043; diabetes:-35' -> [('htn', -1043), ('diabetes', -35)]; 'none' -> []"""
    if history == "none":
        return []
    return [(name, int(days)) for name, days in (item.rsplit(":", 1) for item in history.split("; "))]


def features(df):
    records = df["history"].map(parse)
    bmi = df["bmi"].fillna(30.0)
    age = df["age"] - 55
    n_records = np.log1p(records.map(len))
    out = {
        "age": age,
        "age_squared": age**2 / 100,
        "male": df["male"],
        "age_male": age * df["male"],  # men's excess risk shrinks with age
        "nafld": df["nafld"],
        "age_nafld": age * df["nafld"],
        # risk rises on both sides of a healthy weight: two hinges, not a line
        "bmi_under_25": np.maximum(25 - bmi, 0),
        "bmi_over_30": np.maximum(bmi - 30, 0),
        # who was never weighed or measured is a different kind of patient
        "no_weight": df["weight"].isna().astype(float),
        "no_height": df["height"].isna().astype(float),
        "n_records": n_records,
        "age_records": age * n_records,
        # heart attacks, strokes and the like recur: each one recorded counts
        "n_cardiovascular": np.log1p(records.map(lambda r: sum(n in CARDIOVASCULAR for n, _ in r))),
        "years_since_first": records.map(lambda r: -min((d for _, d in r), default=0)) / 365.25,
    }
    for name in DIAGNOSES:
        out[name] = records.map(lambda r, name=name: any(n == name for n, _ in r)).astype(float)
        # a diagnosis of the last year: often a condition still being treated
        out[name + " (last year)"] = records.map(
            lambda r, name=name: any(n == name and d > -365 for n, d in r)
        ).astype(float)
    return pd.DataFrame(out).astype(float)


X_train, X_test = features(train), features(test)
# standardized, so that exp(x @ beta) stays in range while fitting
center, spread = X_train.mean(), X_train.std().replace(0, 1)
model = PHReg(
    train["days"].to_numpy(float),
    ((X_train - center) / spread).to_numpy(),
    status=train["event"].to_numpy(float),
    ties="efron",
).fit(method="bfgs", maxiter=500)  # Newton's first steps overflow on these columns

submission = pd.DataFrame({"id": test["id"]})
# the linear predictor is the log relative hazard: higher means the event sooner
submission["risk"] = ((X_test - center) / spread).to_numpy() @ model.params
