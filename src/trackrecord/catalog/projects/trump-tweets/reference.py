from sklearn.compose import make_column_transformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

features = make_column_transformer(
    # words and word pairs
    (TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True), "text"),
    # character n-grams keep what word tokens drop: quotes, links, "!", "@", "#"
    (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True),
        "text",
    ),
    # the hour of the day, one column per hour: who tweets at dawn?
    (OneHotEncoder(handle_unknown="ignore"), ["hour"]),
    # retweets and likes are heavy-tailed: use their logarithm
    (FunctionTransformer(np.log1p), ["retweet_count", "favorite_count"]),
)
model = make_pipeline(features, LogisticRegression(C=4.0, max_iter=3000))
model.fit(train, train["device"])

proba = model.predict_proba(test)
submission = pd.DataFrame({"id": test["id"]})
submission["device"] = proba[:, list(model.classes_).index("android")]  # P(android)
