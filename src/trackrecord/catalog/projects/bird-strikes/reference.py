import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

categorical = ["phase_of_flt", "time_of_day", "sky", "birds_seen", "birds_struck"]
numeric = ["ac_mass", "num_engs", "height", "speed", "no_remarks"]


def features(df):
    out = df[categorical].fillna("missing")
    out[["ac_mass", "num_engs", "speed"]] = df[["ac_mass", "num_engs", "speed"]]
    out["height"] = np.log1p(df["height"])  # 0 to 32,500 feet: the log evens it out
    # Reports without remarks are rarely about a changed flight: say so in a column.
    out["no_remarks"] = df["remarks"].isna().astype(float)
    out["remarks"] = df["remarks"].fillna("")
    return out


# Words and word pairs of the remarks ("no damage", "returned to", "precautionary landing"),
# beside the report's own columns: the phase of flight alone separates a take-off run
# (where an aborted take-off is possible) from a landing roll.
preprocess = make_column_transformer(
    (TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True), "remarks"),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
    (make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=3000))

# The penalty C, chosen on train only with folds that keep time order (each fold is scored
# on reports later than those it was fitted on), like the test set.
ordered = train.sort_values("date", kind="stable")
search = GridSearchCV(
    model,
    {"logisticregression__C": [0.3, 1.0, 3.0]},
    scoring="average_precision",
    cv=TimeSeriesSplit(3),
    n_jobs=1,
)
search.fit(features(ordered), (ordered["affected"] == "yes").astype(int))
print("chosen:", search.best_params_, "time-ordered CV average precision:", round(search.best_score_, 4))

submission = pd.DataFrame({"id": test["id"]})
submission["affected"] = search.predict_proba(features(test))[:, 1]  # P(yes)
