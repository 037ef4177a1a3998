import numpy as np

pixels = [c for c in test.columns if c.startswith("px_")]

# The mean image of each digit in train: its centroid.
centroids = train.groupby("digit")[pixels].mean()

# Each test image gets the digit whose centroid is nearest (squared Euclidean distance,
# expanded as |x|^2 - 2 x.c + |c|^2 so no 3-D array is built).
X = test[pixels].to_numpy(dtype=float)
C = centroids.to_numpy()
distance = (X**2).sum(axis=1)[:, None] - 2 * X @ C.T + (C**2).sum(axis=1)[None, :]

submission = pd.DataFrame({"id": test["id"]})
submission["digit"] = centroids.index.to_numpy()[np.argmin(distance, axis=1)]
