from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression

numeric = ['education', 'experience']
categorical = []
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, TransformedTargetRegressor(LinearRegression(), func=np.log, inverse_func=np.exp))
model.fit(train[features], train['wage'])

submission = pd.DataFrame({'id': test['id']})
submission['wage'] = np.clip(model.predict(test[features]), 0.0, None)
