from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

model = make_pipeline(CountVectorizer(min_df=2), MultinomialNB())
model.fit(train['text'].fillna(''), train['device'])

submission = pd.DataFrame({'id': test['id']})
proba = model.predict_proba(test['text'].fillna(''))
# one column: the probability of 'android'
submission['device'] = proba[:, list(model.classes_).index('android')]
