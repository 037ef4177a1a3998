from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

model = make_pipeline(CountVectorizer(), MultinomialNB())
model.fit(train["course"], train["subject"])

submission = pd.DataFrame({"id": test["id"]})
submission["subject"] = model.predict(test["course"])
