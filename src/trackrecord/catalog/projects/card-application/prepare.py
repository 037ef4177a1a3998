"""Credit card applications (Greene's Table F21.4): was the application accepted?

train.csv is the issuer's file of past applications, which also records how much each
accepted applicant went on to spend with the card. test.csv holds new applications as they
are when the decision is made: nothing has been spent yet. The spending columns are the trap.
"""

import dataclasses
from collections.abc import Sequence

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from trackrecord.catalog import fields
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import as_at_decision
from trackrecord.catalog.prepare import Prepared, rdata, supervised
from trackrecord.catalog.splits import with_ids

# Recorded once a card was issued and used: an applicant who was turned down never spends
# anything. On the day of the decision nobody has spent anything yet.
AT_DECISION = {"expenditure": 0.0, "share": 0.0}


def prepare() -> Prepared:
    df = with_ids(rdata("AER", "CreditCard"), seed=2003)
    # about half of the rows are the test set: the private split needs 100 refusals
    data = supervised(df, metric="roc_auc", target="card", test_size=0.52, seed=7, stratify=True)
    return dataclasses.replace(data, test=as_at_decision(data.test, AT_DECISION))


def application_columns(data: Prepared) -> list[str]:
    """What the issuer knows when it decides: every test column but the id and the spending."""
    return [c for c in data.test.columns if c not in (data.spec.id_column, *AT_DECISION)]


def trusting_the_leak(data: Prepared) -> Contender:
    """What a learner who reads every column gets: the standard boosting pipeline."""
    return SklearnContender(
        "gradient boosting on every column (trusts expenditure and share)",
        fields.for_trees(lambda: HistGradientBoostingClassifier(random_state=fields.SEED)),
        features=[c for c in data.test.columns if c != data.spec.id_column],
    )


def field(data: Prepared) -> Sequence[Contender]:
    known = application_columns(data)
    standard = [
        dataclasses.replace(c, features=known)
        for c in fields.classification_field(len(data.train), proba=True)
    ]
    return (*standard, trusting_the_leak(data))


def trivial(data: Prepared) -> Sequence[Contender]:
    """The leak alone is no skill at all: a logistic regression on the two spending columns
    stays below the baseline. (Boosting on every column is in the field: the application
    columns it also reads keep part of its ranking, and it lands between the baseline and
    the honest models.)"""
    return (
        SklearnContender(
            "logistic regression on expenditure and share (the leak alone)",
            fields.with_pre(lambda: LogisticRegression(max_iter=1000)),
            features=list(AT_DECISION),
        ),
    )
