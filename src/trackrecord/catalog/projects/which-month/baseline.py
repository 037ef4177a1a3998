from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

highs = [c for c in train.columns if c.startswith("tmax_")]
lows = [c for c in train.columns if c.startswith("tmin_")]


def averages(frame):
    # two numbers per month: the average daily high and the average daily low
    return pd.DataFrame({"high": frame[highs].mean(axis=1), "low": frame[lows].mean(axis=1)})


model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
model.fit(averages(train), train["month"])

submission = pd.DataFrame({"id": test["id"]})
submission["month"] = model.predict(averages(test))
