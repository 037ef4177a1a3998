from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LinearRegression

numeric = ['t']
categorical = ['week_of_year']
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
model = make_pipeline(preprocess, LinearRegression())
model.fit(train[features], train['co2'])

submission = pd.DataFrame({'id': test['id']})
submission['co2'] = model.predict(test[features])
