from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# This year's twelve months as twelve separate columns: the shape of the year, but nothing
# about how one month follows another or what the year before looked like.
months = [c for c in train.columns if c.startswith("month_")]
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))
model.fit(train[months], train["supersector"])

submission = pd.DataFrame({"id": test["id"]})
submission["supersector"] = model.predict(test[months])
