from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LogisticRegression

numeric = ['pbeach', 'ppier', 'pboat', 'pcharter']
categorical = []
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=1000))
model.fit(train[features], train['mode'])

submission = pd.DataFrame({'id': test['id']})
proba = model.predict_proba(test[features])
# one column per class, named after the class
for i, label in enumerate(model.classes_):
    submission[str(label)] = proba[:, i]
submission = submission[sample.columns]
