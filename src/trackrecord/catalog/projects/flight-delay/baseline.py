from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder


def columns(df):
    # the hour of the scheduled departure, the airline and the airport
    hour = df["sched_dep"].str.slice(11, 13)  # "2013-10-01 05:15" -> "05"
    return pd.DataFrame({"hour": hour, "carrier": df["carrier"], "origin": df["origin"]})


model = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression(max_iter=1000))
model.fit(columns(train), train["late"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(columns(test))
# one column: the probability of 'yes'
submission["late"] = proba[:, list(model.classes_).index("yes")]
