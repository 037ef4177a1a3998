from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LinearRegression

numeric = ['Gr_Liv_Area', 'Year_Built']
categorical = []
features = numeric + categorical
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
)
model = make_pipeline(preprocess, LinearRegression())
model.fit(train[features], train['Sale_Price'])

submission = pd.DataFrame({'id': test['id']})
submission['Sale_Price'] = np.clip(model.predict(test[features]), 0.0, None)
