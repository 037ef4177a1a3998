from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

# Words and two-word phrases ("not great", "highly recommend"), TF-IDF weighted with
# damped counts (sublinear_tf), then a logistic regression.
model = make_pipeline(
    TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True),
    LogisticRegression(max_iter=3000),
)
# The penalty C, chosen by 3-fold cross-validation on train only.
search = GridSearchCV(
    model,
    {"logisticregression__C": [1.0, 4.0, 16.0]},
    scoring="roc_auc",
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
    n_jobs=1,
)
search.fit(train["review"].fillna(""), train["score"])
print("chosen:", search.best_params_, "cross-validated ROC AUC:", round(search.best_score_, 4))

proba = search.predict_proba(test["review"].fillna(""))
submission = pd.DataFrame({"id": test["id"]})
submission["score"] = proba[:, list(search.classes_).index("great")]  # P(great)
