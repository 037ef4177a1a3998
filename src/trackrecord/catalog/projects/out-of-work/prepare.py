"""German health registry 1984-1988 (COUNT `rwm5yr`): is the person out of work? The
1988 survey is the test set; the earlier years of the same people are in train."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.model import Contender, Spec
from trackrecord.catalog.pitfalls import time_prepared
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import seed_for, with_ids

TEST_YEAR = 1988
# edlevel1-4 are the one-hot columns of edlevel
DROPPED = ["edlevel1", "edlevel2", "edlevel3", "edlevel4"]


def prepare() -> Prepared:
    df = rdata("COUNT", "rwm5yr").drop(columns=DROPPED)
    # The registry's patient numbers follow the source's order: a seeded renumbering keeps
    # who is who across the years and says nothing else.
    people = df["id"].unique()
    order = np.random.default_rng(seed_for(1984)).permutation(len(people)) + 1
    renumber = dict(zip(people, order, strict=True))
    df["person"] = df.pop("id").map(renumber)
    df["outwork"] = np.where(df["outwork"] == 1, "yes", "no")
    return time_prepared(
        with_ids(df, seed=1988),
        time="year",
        first_test=TEST_YEAR,
        metric="f1",
        target="outwork",
        labels=["no", "yes"],
    )


def _everyone(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> np.ndarray:
    return np.full(len(test), spec.positive)


def trivial(data: Prepared) -> Sequence[Contender]:
    """Under F1 the sample submission (everyone works) scores 0; calling everyone out of
    work is the constant to beat (about 0.5)."""
    return (FunctionContender("constant: everyone is out of work", _everyone),)
