from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LinearRegression

numeric = ['historical_adr', 'adults', 'children']
categorical = []
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, LinearRegression())
model.fit(train[features], train['avg_price_per_room'])

submission = pd.DataFrame({'id': test['id']})
submission['avg_price_per_room'] = model.predict(test[features])
