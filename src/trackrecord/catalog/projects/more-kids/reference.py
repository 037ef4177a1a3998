from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def with_same_sex(frame):
    # The sexes matter together, not one by one: parents of two boys or of two girls are
    # more likely to try for a third child.
    frame = frame.copy()
    frame["same_sex"] = np.where(frame["gender1"] == frame["gender2"], "yes", "no")
    return frame


categorical = ["gender1", "gender2", "same_sex", "afam", "hispanic", "other"]
numeric = ["age", "work"]
preprocess = make_column_transformer(
    (OneHotEncoder(drop="if_binary"), categorical),
    (StandardScaler(), numeric),
)
# Logistic regression is fitted by maximizing the likelihood, i.e. by minimizing log loss:
# its probabilities are calibrated without any extra step.
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))
model.fit(with_same_sex(train)[categorical + numeric], train["morekids"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(with_same_sex(test)[categorical + numeric])
submission["morekids"] = proba[:, list(model.classes_).index("yes")]
