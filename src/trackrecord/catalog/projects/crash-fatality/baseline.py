from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

# how violent the crash was: the estimated change in speed at impact, in km/h bands
features = ["dvcat"]
model = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression(max_iter=1000))
model.fit(train[features], train["dead"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
# one column: the probability of 'dead'
submission["dead"] = proba[:, list(model.classes_).index("dead")]
