from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder


def model(alpha):
    features = ColumnTransformer([
        # whole words and pairs: "beauty", "community college", "institute of technology"
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), "name"),
        # pieces of words: "cosmetology"/"cosmetologie", "-tech", chain names with a
        # campus after the dash
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                  sublinear_tf=True), "name"),
        ("kind", OneHotEncoder(handle_unknown="ignore"), ["degree", "state"]),
    ])
    return make_pipeline(features, Ridge(alpha=alpha))


# RMSLE reads ratios: fit log earnings. Choose the penalty on 5 folds of train.
y = np.log1p(train["earnings"])
folds = KFold(5, shuffle=True, random_state=0)
scores = {
    a: cross_val_score(model(a), train, y, cv=folds, scoring="neg_root_mean_squared_error").mean()
    for a in [0.3, 1.0, 3.0, 10.0]
}
best = max(scores, key=scores.get)

final = model(best).fit(train, y)
submission = pd.DataFrame({"id": test["id"]})
submission["earnings"] = np.expm1(final.predict(test))
