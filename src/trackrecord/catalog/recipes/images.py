"""Image classification projects."""

from __future__ import annotations

import pandas as pd
from sklearn.datasets import load_digits

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.fields import classification_field
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids


def digits_frame() -> pd.DataFrame:
    """The 1797 8x8 digits of scikit-learn, one column per pixel (`px_<row>_<col>`)."""
    digits = load_digits()
    names = [f"px_{r}_{c}" for r in range(8) for c in range(8)]
    df = pd.DataFrame(digits.data.astype(int), columns=names)
    df["digit"] = digits.target
    return df


PIXELS_DOC = (
    "64 columns `px_<row>_<col>` (row and column 0 to 7, from the top left) hold the ink"
    " in each cell of an 8x8 grid, from 0 (white) to 16 (black)."
)


def pixel_columns() -> dict[str, str]:
    """A meaning for each of the 64 pixel columns."""
    return {
        f"px_{r}_{c}": f"ink in the cell at row {r}, column {c} (0 white to 16 black)"
        for r in range(8)
        for c in range(8)
    }


DIGITS_REFERENCE = """\
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
"""


@recipe(
    "digits-8x8",
    title="Handwritten digits, 8x8 pixels",
    task="image",
    metric="accuracy",
    level=1,
    skills=("images", "multiclass", "svm", "scaling"),
    apply_elsewhere=("digit-clusters", "uk-vote-1997"),
    summary="Recognize handwritten digits from tiny 8x8 grey-level images.",
    gold_margin=0.005,
    version="2",
)
def digits_8x8() -> Project:
    data = supervised(
        with_ids(digits_frame()),
        metric="accuracy",
        target="digit",
        test_size=0.4,
        seed=83,
        stratify=True,
    )
    middle = tuple(f"px_{r}_3" for r in range(8)) + tuple(f"px_{r}_4" for r in range(8))
    return data.project(
        brief=Brief(
            source="scikit-learn, `load_digits` (UCI Optical Recognition of Handwritten Digits;"
            " Alpaydin and Kaynak 1998).",
            about="1797 handwritten digits scanned and downsampled to 8x8 cells. " + PIXELS_DOC,
            target="`digit`: the digit written, 0 to 9.",
            metric_why="Accuracy, the share of digits read correctly: the ten classes are"
            " balanced.",
            columns=pixel_columns(),
            pitfalls=(
                "The pixels are numbers but the image is a grid: a model that sees 64"
                " unrelated columns (a shallow tree, naive Bayes) misses that neighbouring"
                " cells move together. Models that compare whole images (an RBF SVM, k"
                " nearest neighbours, logistic regression on all pixels) do much better.",
                "Several border cells are blank in almost every image; scaling does not make"
                " them informative, and a model that splits on them fits noise.",
                "The images come from 13 writers and the split is random over images, so a"
                " writer's style is on both sides: the score says how well you read these"
                " writers, and new writers would be read a little worse.",
                "One private image is 0.2% of accuracy: differences of a few tenths of a"
                " percent between two models are luck, not skill.",
            ),
            validation="Stratified 5-fold cross-validation on train.csv (the test set was"
            " drawn at random, stratified by digit, the same way): print"
            " `sklearn.metrics.accuracy_score` on each held-out fold and their mean, and"
            " tune on those folds, never on the public board.",
            split_why="The images are independent, with no time order and no writer ids"
            " published, so the test set is a random 40% of them, stratified by digit so"
            " each digit has the same share in train, public and private.",
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on the two middle columns",
            model="LogisticRegression(max_iter=2000)",
            imports="from sklearn.linear_model import LogisticRegression",
            numeric=middle,
            explanation="Logistic regression on the 16 pixels of the two middle columns of"
            " the image; the other 48 are your first improvement.",
        ),
        reference=CodeContender(
            "reference: tuned RBF support vector machine",
            DIGITS_REFERENCE,
            "Standardized pixels and an RBF support vector machine, with C and gamma chosen"
            " by 3-fold cross-validation on train.",
        ),
        field=classification_field(len(data.train), proba=False),
    )
