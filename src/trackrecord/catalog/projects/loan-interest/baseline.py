from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# a few things the lender knows when it prices a loan
numeric = ["term", "debt_to_income", "inquiries_last_12m", "accounts_opened_24m",
           "total_credit_utilized", "total_credit_limit"]
categorical = ["verified_income"]
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
model = make_pipeline(preprocess, LinearRegression())
model.fit(train[numeric + categorical], train["interest_rate"])

submission = pd.DataFrame({"id": test["id"]})
submission["interest_rate"] = model.predict(test[numeric + categorical])
