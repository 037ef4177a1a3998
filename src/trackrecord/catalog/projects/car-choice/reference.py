from scipy.optimize import minimize

# A conditional logit (McFadden): each car has a utility u = w . x, and the chance that a
# respondent picks car i of a situation is exp(u_i) / sum of exp(u_j) over its six cars.
# Fitting w by that likelihood is a listwise ranking loss: only differences between the cars
# of one situation matter, which is exactly what the ranking is scored on.
numeric = ["price", "range", "acc", "speed", "pollution", "size", "space", "cost", "station"]


def design(df):
    # Body type and fuel as dummies; the slot (position in the questionnaire) as dummies too:
    # the alternative-specific constants of a choice model.
    X = pd.get_dummies(df[["type", "fuel"]].astype(str)).astype(float)
    X = X.join(pd.get_dummies(df["slot"].astype(str), prefix="slot").astype(float))
    # Attributes relative to the situation's mean: a car is cheap or fast compared with the
    # other five it was shown with.
    for c in numeric:
        X[c] = df[c] - df.groupby("situation")[c].transform("mean")
    return X


A = design(train)
B = design(test).reindex(columns=A.columns, fill_value=0.0)
mu, sd = A.mean(), A.std().replace(0.0, 1.0)
XA, XB = ((A - mu) / sd).to_numpy(), ((B - mu) / sd).to_numpy()
codes = np.unique(train["situation"].to_numpy(), return_inverse=True)[1]
y, n = train["chosen"].to_numpy(float), codes.max() + 1
l2 = 1.0  # a light ridge penalty on w


def loss(w):
    u = XA @ w
    top = np.full(n, -np.inf)
    np.maximum.at(top, codes, u)  # subtract each situation's largest utility: no overflow
    e = np.exp(u - top[codes])
    total = np.bincount(codes, e, n)
    p = e / total[codes]  # P(car picked | its situation)
    log_likelihood = y @ (u - top[codes]) - np.log(total).sum()
    gradient = XA.T @ (y - p)
    return -log_likelihood + l2 * w @ w, -gradient + 2 * l2 * w


w = minimize(loss, np.zeros(XA.shape[1]), jac=True, method="L-BFGS-B").x

submission = pd.DataFrame({"id": test["id"]})
submission["score"] = XB @ w  # the utility: higher means more likely to be picked
