"""Married couples of the 2009 NHIS (stevedata `mm_nhis`), one row per couple: has the
wife no health insurance?"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.model import Contender, Spec
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

PERSON = ["hlth", "nwhite", "age", "yedu", "empl"]


def load() -> pd.DataFrame:
    df = rdata("stevedata", "mm_nhis")
    # The source lists each couple as two consecutive rows, one per spouse, sharing the
    # family's income and size. One row per couple keeps a spouse from sitting in train
    # while the other is scored (their insurance agrees for 94% of couples), and the
    # husband's insurance is left out for the same reason.
    df["couple"] = np.arange(len(df)) // 2
    wife = df[df["fml"] == 1].set_index("couple")
    husband = df[df["fml"] == 0].set_index("couple")
    table = pd.concat(
        [
            wife[PERSON].add_prefix("wife_"),
            husband[PERSON].add_prefix("husband_"),
            wife[["famsize", "inc"]],
        ],
        axis=1,
    )
    table["uninsured"] = np.where(wife["hi"] == 0, "yes", "no")
    return with_ids(table.reset_index(drop=True), seed=2009)


def _everyone(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> np.ndarray:
    return np.full(len(test), spec.positive)


def trivial(data: Prepared) -> Sequence[Contender]:
    """Under F1 the sample submission (nobody is uninsured) scores 0; flagging every
    wife is the constant to beat (about 0.27)."""
    return (FunctionContender("constant: flag every wife as uninsured", _everyone),)
