"""Image classification projects."""

from __future__ import annotations

import pandas as pd
from sklearn.datasets import load_digits
from sklearn.svm import SVC

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import SEED, classification_field, tuned, with_pre
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
    grid = {"svc__C": [1.0, 10.0], "svc__gamma": ["scale", 0.02]}
    middle = tuple(f"px_{r}_3" for r in range(8)) + tuple(f"px_{r}_4" for r in range(8))
    return data.project(
        brief=Brief(
            source="scikit-learn, `load_digits` (UCI Optical Recognition of Handwritten Digits;"
            " Alpaydin and Kaynak 1998).",
            about="1797 handwritten digits scanned and downsampled to 8x8 cells. " + PIXELS_DOC,
            target="`digit`: the digit written, 0 to 9.",
            metric_why="Accuracy, the share of digits read correctly: the ten classes are"
            " balanced.",
            columns={"px_0_0": "top-left cell", "px_7_7": "bottom-right cell"},
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
        reference=SklearnContender(
            "reference: tuned RBF support vector machine",
            tuned(with_pre(lambda: SVC(random_state=SEED)), grid, data.spec, "accuracy"),
        ),
        field=classification_field(len(data.train), proba=False),
    )
