from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

wages = [c for c in train.columns if c.startswith("ln_wage_")]


def average_wage(frame):
    # one number per woman: her mean log wage over the years she answered
    return pd.DataFrame({"wage": frame[wages].mean(axis=1)})


model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
model.fit(average_wage(train), train["college"])

submission = pd.DataFrame({"id": test["id"]})
submission["college"] = model.predict_proba(average_wage(test))[:, 1]
