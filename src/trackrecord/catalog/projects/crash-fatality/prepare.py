"""US car crashes 1997-2002 (NASS CDS): did the occupant die? Crashes of 2001 and 2002 are
the test set, as a crash report reads before anyone's injuries are assessed."""

import dataclasses
from collections.abc import Sequence

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from trackrecord.catalog import fields
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import as_at_decision, time_prepared
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_YEAR = 2001
# Known after the crash was sampled and the occupants examined: the injury severity (4 is
# "killed") is in train.csv as the survey recorded it; test.csv holds the crashes as the
# report reads at the scene, before any assessment ("unknown", the survey's code 5).
AT_THE_SCENE = {"injSeverity": 5.0}


def prepare() -> Prepared:
    df = rdata("DAAG", "nassCDS")
    # caseid would find each occupant in the installed source; the sampling weight is
    # assigned after a crash is sampled, from how severe it was
    df = df.drop(columns=["caseid", "weight"])
    data = time_prepared(
        with_ids(df, seed=1997),
        time="yearacc",
        first_test=FIRST_TEST_YEAR,
        metric="roc_auc",
        target="dead",
    )
    return dataclasses.replace(data, test=as_at_decision(data.test, AT_THE_SCENE))


def _at_the_scene(data: Prepared) -> list[str]:
    return [c for c in data.test.columns if c not in (data.spec.id_column, *AT_THE_SCENE)]


def trusting_the_leak(data: Prepared) -> Contender:
    """What a learner who reads every column gets: the standard boosting pipeline."""
    return SklearnContender(
        "gradient boosting on every column (trusts injSeverity)",
        fields.for_trees(lambda: HistGradientBoostingClassifier(random_state=fields.SEED)),
        features=[c for c in data.test.columns if c != data.spec.id_column],
    )


def field(data: Prepared) -> Sequence[Contender]:
    known = _at_the_scene(data)
    standard = [
        dataclasses.replace(c, features=known)
        for c in fields.classification_field(len(data.train), proba=True)
    ]
    return (*standard, trusting_the_leak(data))


def trivial(data: Prepared) -> Sequence[Contender]:
    """Trusting the leak must not earn a medal: boosting on every column, and the injury
    severity alone, both stay below the baseline."""
    return (
        trusting_the_leak(data),
        SklearnContender(
            "logistic regression on injSeverity (the leak alone)",
            fields.with_pre(lambda: LogisticRegression(max_iter=1000)),
            features=list(AT_THE_SCENE),
        ),
    )
