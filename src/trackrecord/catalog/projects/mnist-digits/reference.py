from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

pixels = [c for c in test.columns if c.startswith("px_")]
# Grey levels 0-255 to 0-1: the same scale for every pixel, and a kernel width that
# does not depend on the units.
X_train = train[pixels] / 255.0
X_test = test[pixels] / 255.0

# PCA keeps the few dozen directions in which handwritten digits really vary (most of the
# 784 pixels are blank or move together); the RBF support vector machine then compares
# images by a smooth similarity in that compressed space.
model = make_pipeline(PCA(50, random_state=0), SVC(random_state=0))

# A little tuning on train only: how many components, and the penalty C, by 3-fold
# cross-validation stratified by digit.
grid = {"pca__n_components": [30, 50], "svc__C": [3.0, 10.0]}
folds = StratifiedKFold(3, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="accuracy", cv=folds, n_jobs=1)
search.fit(X_train, train["digit"])
print("chosen:", search.best_params_, "cross-validated accuracy:", round(search.best_score_, 4))

submission = pd.DataFrame({"id": test["id"]})
submission["digit"] = search.predict(X_test)
