from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, GroupKFold

# `person` says whose row it is: never a feature (every test woman is new), only the
# groups of the folds, so that no woman is scored on a model that has seen her other years
features = [c for c in test.columns if c not in ("id", "person")]
categorical = ["race", "ind_code", "occ_code"]


def prepared(df):
    X = df[features].copy()
    X[categorical] = X[categorical].astype("category")
    return X


X, X_test = prepared(train), prepared(test)
for column in categorical:  # the same codes in test as in train
    X_test[column] = X_test[column].cat.set_categories(X[column].cat.categories)

boosting = HistGradientBoostingRegressor(
    max_iter=200, max_leaf_nodes=15, categorical_features="from_dtype", random_state=0
)
# how much may a tree memorize? a leaf of 20 rows can be one woman's interviews, a leaf
# of 400 cannot; GroupKFold, which scores on new women, decides
grid = {"min_samples_leaf": [20, 100, 400]}
search = GridSearchCV(
    boosting, grid, cv=GroupKFold(n_splits=5), scoring="neg_root_mean_squared_error", n_jobs=1
)
search.fit(X, train["ln_wage"], groups=train["person"])

submission = pd.DataFrame({"id": test["id"], "ln_wage": search.predict(X_test)})
