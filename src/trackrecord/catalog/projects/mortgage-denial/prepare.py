"""Boston mortgage applications, 1990 (the HMDA data of Munnell et al., as Stock and Watson
give them): was the mortgage denied? Race and marital status are in train.csv only, for
auditing the model group by group; the prediction may not read them."""

from collections.abc import Sequence

from trackrecord.catalog import fields
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import train_only
from trackrecord.catalog.prepare import Prepared, rdata, supervised
from trackrecord.catalog.splits import with_ids

PROTECTED = ("afam", "single")  # train.csv only: for the audit


def prepare() -> Prepared:
    df = with_ids(rdata("AER", "HMDA"), seed=1990)
    # 285 denials in all: the test set takes 55% of the rows so that the private split
    # holds more than 100 of them
    data = supervised(df, metric="roc_auc", target="deny", test_size=0.55, seed=11, stratify=True)
    return train_only(data, PROTECTED)


def field(data: Prepared) -> Sequence[Contender]:
    """The standard classifiers on what test.csv holds."""
    return fields.classification_field(len(data.train), proba=True)
