from sklearn.linear_model import PoissonRegressor

PRIOR = 1e5  # shrink a county's rate towards its state's, as if by 100,000 more residents


def log_rate(murders, people, state_rate):
    """log(murders per resident), shrunk: a county of 2,000 people with one murder in a
    year does not have a murder rate of 50 per 100,000."""
    return np.log((murders + PRIOR * state_rate) / (people + PRIOR))


def history_features(history, rows):
    """What the years in `history` say about each county of `rows`: its murder rate over
    all years, the last five and the last one; its state's rate; its size and growth; and
    where the nation's rate is heading (its last year against its last five)."""
    last = history["year"].max()
    state = history.groupby("statefips")[["murders", "popul"]].sum()
    state_rate = (state["murders"] / state["popul"]).reindex(rows["statefips"]).to_numpy()
    X = pd.DataFrame({"log_pop": np.log(rows["popul"].to_numpy())})
    spans = {"all": history, "five": history[history["year"] > last - 5],
             "last": history[history["year"] == last]}
    for name, span in spans.items():
        sums = span.groupby("countyid")[["murders", "popul"]].sum().reindex(rows["countyid"])
        X[f"rate_{name}"] = log_rate(
            sums["murders"].fillna(0).to_numpy(), sums["popul"].fillna(0).to_numpy(), state_rate
        )
    X["state_rate"] = np.log(state_rate)
    nation = history.groupby("year")[["murders", "popul"]].sum()
    nation_rate = nation["murders"] / nation["popul"]
    X["national_trend"] = np.log(nation_rate.loc[last] / nation_rate.loc[last - 4 :].mean())
    before = spans["last"].set_index("countyid")["popul"].reindex(rows["countyid"]).to_numpy()
    X["growth"] = np.log(rows["popul"].to_numpy() / before)
    return X


# Training examples that look like the task: each year from 1985 on, predicted from the
# years before it only (never from its own murders or later ones).
years = range(train["year"].min() + 5, train["year"].max() + 1)
X_train = pd.concat(
    [history_features(train[train["year"] < y], train[train["year"] == y]) for y in years]
)
y_train = pd.concat([train.loc[train["year"] == y, "murders"] for y in years])
# Poisson regression on the log rates and log population: murders = population x rate.
model = PoissonRegressor(alpha=0.0, max_iter=3000)
model.fit(X_train, y_train)

submission = pd.DataFrame({"id": test["id"]})
submission["murders"] = model.predict(history_features(train, test))
