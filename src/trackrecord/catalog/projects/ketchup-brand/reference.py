from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

PRODUCTS = ["heinz28", "heinz32", "heinz41", "hunts32"]
PRIOR = 2.0  # pseudo-purchases spread over the products as the market shares
share = train["choice"].value_counts(normalize=True).reindex(PRODUCTS).to_numpy()


def loyalty(history, rows, *, earlier_only):
    """Each household's shares of the four products among its purchases before each row
    (shrunk towards the market shares), and the product it bought last."""
    bought = pd.get_dummies(history["choice"]).reindex(columns=PRODUCTS, fill_value=0)
    bought = bought.astype(float).set_index(history["household"])
    if earlier_only:  # train rows: only the purchases before this one
        counts = bought.groupby(level=0).cumsum() - bought
        n = bought.groupby(level=0).cumcount().to_numpy()
        last = bought.groupby(level=0).shift(1).fillna(0).to_numpy()
    else:  # test rows: all the household's purchases in train came before them
        counts = bought.groupby(level=0).sum().reindex(rows["household"]).fillna(0)
        n = counts.sum(axis=1).to_numpy()
        last = bought.groupby(level=0).last().reindex(rows["household"]).fillna(0).to_numpy()
    shares = (counts.to_numpy() + PRIOR * share) / (n[:, None] + PRIOR)
    X = pd.DataFrame(np.log(shares), columns=[f"loyal_{p}" for p in PRODUCTS])
    X[[f"last_{p}" for p in PRODUCTS]] = last
    return X


def features(rows, X_loyal):
    X = rows.filter(regex="^(price|disp|feat)_").reset_index(drop=True)
    usual = train.filter(regex="^price_").median()
    for p in PRODUCTS:  # a cut against the product's usual price is what shoppers notice
        X[f"cut_{p}"] = usual[f"price_{p}"] - rows[f"price_{p}"].to_numpy()
    return pd.concat([X, X_loyal.reset_index(drop=True)], axis=1)


ordered = train.sort_values(["household", "purchase"])
X_train = features(ordered, loyalty(ordered, ordered, earlier_only=True))
X_test = features(test, loyalty(ordered, test, earlier_only=False))
# A multinomial logit on prices, displays, ads, price cuts and loyalty; its penalty is chosen
# on folds of whole households (a household's purchases are not independent rows).
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
grid = {"logisticregression__C": [0.03, 0.1, 0.3, 1.0]}
search = GridSearchCV(model, grid, scoring="neg_log_loss", cv=GroupKFold(5))
search.fit(X_train, ordered["choice"], groups=ordered["household"])

# Small boosted trees on the same features find what the logit cannot (a loyal household
# ignores a cut on a rival, a disloyal one follows it); the two probabilities are averaged.
trees = HistGradientBoostingClassifier(
    learning_rate=0.05, max_iter=100, max_depth=3, min_samples_leaf=30, random_state=0
)
trees.fit(X_train, ordered["choice"])

submission = pd.DataFrame({"id": test["id"]})
proba = (search.predict_proba(X_test) + trees.predict_proba(X_test)) / 2
for i, product in enumerate(search.classes_):
    submission[product] = proba[:, i]
