from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

pixels = [c for c in test.columns if c.startswith("px_")]

# An RBF support vector machine compares whole images by a smooth similarity: images
# whose strokes overlap are close. Scaling puts every pixel on the same footing.
model = make_pipeline(StandardScaler(), SVC(random_state=0))

# A little tuning on train only: the penalty C and the kernel width gamma, by 3-fold
# cross-validation stratified by digit.
grid = {"svc__C": [1.0, 10.0], "svc__gamma": ["scale", 0.02]}
folds = StratifiedKFold(3, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="accuracy", cv=folds, n_jobs=1)
search.fit(train[pixels], train["digit"])

submission = pd.DataFrame({"id": test["id"]})
submission["digit"] = search.predict(test[pixels])
