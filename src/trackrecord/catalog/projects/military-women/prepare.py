"""Every member of the US armed forces (Army, Navy, Air Force, Marine Corps) as the
Department of Defense counted them: 1.4 million rows, one per person, but fewer than 1,000
different combinations of the columns. Predict the probability that a member is a woman."""

from collections.abc import Sequence

from sklearn.ensemble import HistGradientBoostingClassifier

from trackrecord.catalog import fields
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import sampled
from trackrecord.catalog.prepare import Prepared, rdata, supervised
from trackrecord.catalog.splits import with_ids

# The standard pipelines whose cost stays linear in the rows run on every row; the others
# are tried on a sample, as one would (a kernel SVM is left out: it would never finish).
ALL_ROWS = ("dummy: class frequencies", "logistic regression", "decision tree (depth 6)")
SAMPLE_ROWS = {"k-nearest neighbours (k=25)": 5_000, "random forest": 30_000}


def prepare() -> Prepared:
    df = with_ids(rdata("openintro", "military"), seed=2012)
    return supervised(
        df,
        metric="log_loss",
        target="gender",
        labels=["male", "female"],
        test_size=0.15,
        seed=3,
        # not stratified: with 212,000 test rows the share of women barely moves, and a
        # stratified split of 1.4 million string labels costs seconds on every build
        stratify=False,
    )


def field(data: Prepared) -> Sequence[Contender]:
    """A small field for a large table: the linear-time pipelines on every row, the slow
    ones on a sample, and gradient boosting both on every row and on a 20,000-row sample
    (what the other 1.18 million rows are worth)."""
    out: list[Contender] = []
    for c in fields.classification_field(len(data.train), proba=True):
        if c.name in ALL_ROWS:
            out.append(c)
        elif c.name in SAMPLE_ROWS:
            out.append(sampled(c, SAMPLE_ROWS[c.name]))
    boosting = SklearnContender(
        "gradient boosting (HistGB)",
        fields.for_trees(lambda: HistGradientBoostingClassifier(random_state=fields.SEED)),
    )
    return (*out, boosting, sampled(boosting, 20_000))
