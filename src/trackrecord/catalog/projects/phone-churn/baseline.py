from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = ["total_day_minutes", "number_customer_service_calls"]
model = make_pipeline(StandardScaler(), LogisticRegression())
model.fit(train[features], train["churn"])

submission = pd.DataFrame({"id": test["id"]})
# one column: the probability of 'yes' (the customer leaves)
submission["churn"] = model.predict_proba(test[features])[:, list(model.classes_).index("yes")]
