from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = ["num_char", "line_breaks", "format"]
# Balanced class weights: without them a logistic regression on 9% spam flags almost
# nothing, and F1 of flagging nothing is 0.
model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced"))
model.fit(train[features], train["spam"])

submission = pd.DataFrame({"id": test["id"]})
submission["spam"] = model.predict(test[features])
