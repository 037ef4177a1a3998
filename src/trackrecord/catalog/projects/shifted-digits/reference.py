import numpy as np
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

pixels = [c for c in test.columns if c.startswith("px_")]
SIDE = 28


def recentre(frame):
    """Every image moved by whole pixels so that its centre of mass (the ink-weighted mean
    row and column) sits at the centre of the 28x28 frame; grey levels scaled to 0-1."""
    images = frame[pixels].to_numpy(dtype=float).reshape(-1, SIDE, SIDE) / 255.0
    grid = np.arange(SIDE)
    out = np.zeros_like(images)
    for i, image in enumerate(images):
        total = image.sum() or 1.0
        dy = int(np.rint((SIDE - 1) / 2 - (image.sum(axis=1) * grid).sum() / total))
        dx = int(np.rint((SIDE - 1) / 2 - (image.sum(axis=0) * grid).sum() / total))
        out[i] = np.roll(image, (dy, dx), axis=(0, 1))  # only blank pixels wrap around
    return out.reshape(len(images), -1)


# The same normalisation for train and test: the model never has to learn where a digit
# is, only what it is. (The centred training digits move by a pixel at most.)
X_train, X_test = recentre(train), recentre(test)

# Then the mnist-digits recipe: PCA to a few dozen components and an RBF support vector
# machine, tuned by 3-fold cross-validation on train only.
model = make_pipeline(PCA(50, random_state=0), SVC(random_state=0))
grid = {"pca__n_components": [30, 50], "svc__C": [3.0, 10.0]}
folds = StratifiedKFold(3, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="accuracy", cv=folds, n_jobs=1)
search.fit(X_train, train["digit"])
print("chosen:", search.best_params_, "cross-validated accuracy:", round(search.best_score_, 4))

submission = pd.DataFrame({"id": test["id"]})
submission["digit"] = search.predict(X_test)
