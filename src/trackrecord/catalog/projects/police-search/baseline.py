from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder


def columns(df):
    # why the police stopped the person, and the hour of the day
    return pd.DataFrame({"problem": df["problem"], "hour": pd.to_datetime(df["date"]).dt.hour})


model = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression(max_iter=1000))
model.fit(columns(train), train["personSearch"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(columns(test))
# one column: the probability of 'YES'
submission["personSearch"] = proba[:, list(model.classes_).index("YES")]
