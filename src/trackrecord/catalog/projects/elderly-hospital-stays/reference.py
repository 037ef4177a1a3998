from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

counts = ["visits", "nvisits", "ovisits", "novisits", "emergency", "chronic"]
numeric = counts + ["age", "school", "income"]
categorical = ["health", "adl", "region", "afam", "gender", "married", "employed",
               "insurance", "medicaid"]
preprocess = make_column_transformer(
    ("passthrough", numeric),
    (OrdinalEncoder(), categorical),
)
# A Poisson loss predicts a positive mean count; the other kinds of care used in the year
# (emergency visits above all) act through thresholds that trees find on their own.
boosting = HistGradientBoostingRegressor(
    loss="poisson", learning_rate=0.03, max_iter=300, min_samples_leaf=50, random_state=0
)
# how complex may each tree be? 5 folds of train decide
grid = {"histgradientboostingregressor__max_leaf_nodes": [3, 7, 15]}
folds = KFold(5, shuffle=True, random_state=0)
model = GridSearchCV(
    make_pipeline(preprocess, boosting), grid, cv=folds,
    scoring="neg_mean_poisson_deviance", n_jobs=1,
)
model.fit(train[numeric + categorical], train["hospital"])

submission = pd.DataFrame({"id": test["id"]})
submission["hospital"] = model.predict(test[numeric + categorical])
