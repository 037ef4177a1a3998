# The test digits were moved off centre, train's were not: validate the same way. Hold out a
# fold of train, move each held-out digit by a random 0-4 pixels in each direction (never so
# far that ink leaves the frame, as in test), and score the baseline on the moved digits.
from sklearn.model_selection import StratifiedKFold

pixels = [c for c in test.columns if c.startswith("px_")]
rng = np.random.default_rng(0)


def move(frame):
    images = frame[pixels].to_numpy().reshape(-1, 28, 28)
    moved = np.zeros_like(images)
    for i, image in enumerate(images):
        rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        dy = rng.integers(max(-4, -rows[0]), min(4, 27 - rows[-1]) + 1)
        dx = rng.integers(max(-4, -cols[0]), min(4, 27 - cols[-1]) + 1)
        moved[i] = np.roll(image, (dy, dx), axis=(0, 1))  # only blank pixels wrap around
    out = frame.copy()
    out[pixels] = moved.reshape(len(images), -1)
    return out


folds = StratifiedKFold(5, shuffle=True, random_state=0)
scores = []
for k, (fit, held) in enumerate(folds.split(train, train["digit"]), 1):
    held_out = move(train.iloc[held].reset_index(drop=True))
    submission = baseline(train.iloc[fit].reset_index(drop=True), held_out[test.columns])
    scores.append(score(held_out, submission))
    print(f"fold {k}: {metric.name} = {scores[-1]:.4f} (held-out digits moved off centre)")
print(f"validation {metric.name}: {np.mean(scores):.4f} (sd {np.std(scores):.4f} over 5 folds)")
