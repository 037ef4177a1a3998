"""Three months of one Gmail inbox (openintro `email`): is the message spam?"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.model import Contender, Spec
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("openintro", "email")
    # the send time is a unique timestamp per message: it says when, not what
    df = df.drop(columns=["time"])
    df["spam"] = np.where(df["spam"] == 1, "spam", "ham")
    return with_ids(df)


def _everything_spam(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> np.ndarray:
    return np.full(len(test), spec.positive)


def trivial(data: Prepared) -> Sequence[Contender]:
    """The other no-skill answer under F1: flag every message. The sample submission
    (the majority class, ham) scores 0; this one scores about 0.17."""
    return (FunctionContender("constant: flag every message as spam", _everything_spam),)
