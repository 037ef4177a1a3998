from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

model = make_pipeline(CountVectorizer(min_df=2), MultinomialNB())
model.fit(train["remarks"].fillna(""), train["affected"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test["remarks"].fillna(""))
# one column: the probability of 'yes' (the strike changed the flight)
submission["affected"] = proba[:, list(model.classes_).index("yes")]
