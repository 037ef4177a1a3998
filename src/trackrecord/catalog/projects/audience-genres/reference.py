from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

genres = ["Drama", "Comedy", "Thriller", "Action", "Romance", "Adventure", "Crime", "SciFi",
          "Horror", "Children", "Animation", "Documentary"]


def who(audience):
    """The users who rated the film, as words: "u12 u55 ..."."""
    return audience.str.replace(r":[0-9.]+", "", regex=True)


def who_liked(audience):
    """The users who gave it 4 stars or more."""
    return audience.apply(
        lambda votes: " ".join(v.split(":")[0] for v in votes.split() if float(v.split(":")[1]) >= 4)
    )


# Three bags of words per film, each weighted by TF-IDF (a user who rates everything says
# little about a film; one who rates only documentaries says a lot): who rated it, who liked
# it, and the words of its title.
bags = [
    (TfidfVectorizer(token_pattern=r"\S+", min_df=2, sublinear_tf=True), who),
    (TfidfVectorizer(token_pattern=r"\S+", min_df=2, sublinear_tf=True), who_liked),
]
X_train = [vec.fit_transform(fn(train["audience"])) for vec, fn in bags]
X_test = [vec.transform(fn(test["audience"])) for vec, fn in bags]
title = TfidfVectorizer(min_df=2, sublinear_tf=True)
X_train = sparse.hstack([*X_train, title.fit_transform(train["title"])]).tocsr()
X_test = sparse.hstack([*X_test, title.transform(test["title"])]).tocsr()

# One penalized logistic regression per genre on the ~10,000 sparse columns.
submission = pd.DataFrame({"id": test["id"]})
for genre in genres:
    model = LogisticRegression(C=2.0, max_iter=3000)
    model.fit(X_train, train[genre])
    submission[genre] = model.predict(X_test)  # 1 where P(genre) > 0.5: what Hamming rewards
