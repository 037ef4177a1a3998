from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

numeric = ["age"]
categorical = ["size"]
features = numeric + categorical
preprocess = make_column_transformer(
    (StandardScaler(), numeric),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
# Did the cancer recur (or the patient die) during follow-up? (ignores when, and who was
# followed only briefly)
model = make_pipeline(preprocess, LogisticRegression())
model.fit(train[features], train["rfs_event"])

submission = pd.DataFrame({"id": test["id"]})
# the risk score: higher means a recurrence (or death) is expected sooner
submission["risk"] = model.predict_proba(test[features])[:, 1]
