from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LogisticRegression

numeric = ['tenure', 'monthly_charges']
categorical = []
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, LogisticRegression())
model.fit(train[features], train['churn'])

submission = pd.DataFrame({'id': test['id']})
proba = model.predict_proba(test[features])
# one column: the probability of 'Yes'
submission['churn'] = proba[:, list(model.classes_).index('Yes')]
