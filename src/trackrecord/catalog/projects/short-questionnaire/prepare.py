"""The 25 personality items of the SAPA project's bfi sample: the five neuroticism answers
become the labels, the twenty other answers and three facts about the person the features."""

from collections.abc import Sequence

from trackrecord.catalog import multilabel
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

NEUROTICISM = ["N1", "N2", "N3", "N4", "N5"]
AGREES = 4  # 4 = "slightly accurate", 5 "moderately", 6 "very accurate"


def prepare() -> Prepared:
    df = rdata("psych", "bfi").dropna(subset=NEUROTICISM)
    labels = [f"{item}_agrees" for item in NEUROTICISM]
    for item, label in zip(NEUROTICISM, labels, strict=True):
        df[label] = (df[item] >= AGREES).astype(int)
    # train keeps the five answers on their 1-6 scale beside the flags; test has neither
    return multilabel.prepare(
        with_ids(df),
        labels=labels,
        metric="hamming_loss",
        seed=25,
        test_size=0.45,
        train_only=NEUROTICISM,
    )


def field(data: Prepared) -> Sequence[Contender]:
    return multilabel.multilabel_field()
