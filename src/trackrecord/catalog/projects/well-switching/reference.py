from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def features(df):
    out = pd.DataFrame(index=df.index)
    # each doubling of arsenic adds about as much worry: the log, not the raw level
    out["log_arsenic"] = np.log(df["arsenic"])
    out["dist100"] = df["distance"] / 100
    # a long walk deters less when the water is worse
    out["log_arsenic_x_dist"] = out["log_arsenic"] * out["dist100"]
    out["education"] = df["education"]
    out["association"] = (df["association"] == "yes").astype(float)
    return out


model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
grid = {"logisticregression__C": [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(features(train), train["switch"])

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(features(test))
submission["switch"] = proba[:, list(search.classes_).index("yes")]
