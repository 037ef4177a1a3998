from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import PoissonRegressor

numeric = ['reduced']
categorical = []
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, PoissonRegressor())
model.fit(train[features], train['visits'])

submission = pd.DataFrame({'id': test['id']})
submission['visits'] = np.clip(model.predict(test[features]), 0.001, None)
