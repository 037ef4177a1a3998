import numpy as np
from scipy import ndimage
from sklearn.decomposition import PCA
from sklearn.metrics import mean_absolute_error
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline

pixels = [c for c in test.columns if c.startswith("px_")]
SIDE, MAX_ANGLE, COPIES = 28, 45.0, 8
rng = np.random.default_rng(0)


def rotate(images, angles):
    turned = [ndimage.rotate(im, a, reshape=False, order=1) for im, a in zip(images, angles, strict=True)]
    return np.clip(np.stack(turned), 0, 255)


def augmented(rows):
    images = rows[pixels].to_numpy(dtype=float).reshape(-1, SIDE, SIDE)
    angles = rows["angle"].to_numpy()
    upright = rotate(images, -angles)
    frames, targets = [images], [angles]
    for _ in range(COPIES):
        new = rng.uniform(-MAX_ANGLE, MAX_ANGLE, len(rows))
        frames.append(rotate(upright, new))
        targets.append(new)
    return np.concatenate(frames).reshape(-1, SIDE * SIDE) / 255.0, np.concatenate(targets)


def model(components, k):
    return make_pipeline(PCA(components, random_state=0), KNeighborsRegressor(k, weights="distance"))


# Tuning: hold out a fifth of the training images, augment only the rest (a turned copy of
# a held-out image must never be a neighbour of itself), choose, then refit on everything.
held = rng.random(len(train)) < 0.2
X_fit, y_fit = augmented(train[~held])
X_held, y_held = train.loc[held, pixels].to_numpy() / 255.0, train.loc[held, "angle"]
scores = {}
for components in (30, 50):
    for k in (5, 10, 20):
        pred = model(components, k).fit(X_fit, y_fit).predict(X_held)
        scores[components, k] = mean_absolute_error(y_held, pred)
best = min(scores, key=scores.get)
print("chosen (components, k):", best, "held-out MAE:", round(scores[best], 2))

X_all, y_all = augmented(train)
final = model(*best).fit(X_all, y_all)
submission = pd.DataFrame({"id": test["id"]})
submission["angle"] = final.predict(test[pixels].to_numpy() / 255.0)
