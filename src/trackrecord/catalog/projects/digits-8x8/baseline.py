from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LogisticRegression

numeric = ['px_0_3', 'px_1_3', 'px_2_3', 'px_3_3', 'px_4_3', 'px_5_3', 'px_6_3', 'px_7_3', 'px_0_4', 'px_1_4', 'px_2_4', 'px_3_4', 'px_4_4', 'px_5_4', 'px_6_4', 'px_7_4']
categorical = []
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))
model.fit(train[features], train['digit'])

submission = pd.DataFrame({'id': test['id']})
submission['digit'] = model.predict(test[features])
