from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LogisticRegression

numeric = ['age']
categorical = ['pclass']
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
model = make_pipeline(preprocess, LogisticRegression())
model.fit(train[features], train['survived'])

submission = pd.DataFrame({'id': test['id']})
submission['survived'] = model.predict(test[features])
