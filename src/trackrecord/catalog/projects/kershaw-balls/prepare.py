"""Clayton Kershaw's pitches of 2013 (Stat2Data `Kershaw`): which ones are balls? His
starts from 21 July on are the test set."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.model import Contender, Spec
from trackrecord.catalog.pitfalls import time_prepared
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

FIRST_TEST_DATE = "2013-07-21"
# Known only once the pitch (or the at-bat) is over, or a summary of the outcome:
# what happened, the strike/ball/in-play class, the swing, the at-bat's result and the
# outs after it; Count repeats BallCount and StrikeCount; Zone (the provider's strike-zone
# cell) and Nasty (an undocumented difficulty score) are derived from the columns kept.
DROPPED = ["Outcome", "Result", "Swing", "ABEvent", "Outs", "Count", "Zone", "Nasty"]


def prepare() -> Prepared:
    df = rdata("Stat2Data", "Kershaw")
    df["ball"] = np.where(df["Class"] == "B", "yes", "no")
    # The source's times are UTC, and night games run past midnight UTC: ten hours earlier
    # every pitch carries the day its game was played, one date per game.
    played = pd.to_datetime(df["Time"]) - pd.Timedelta(hours=10)
    df["date"] = played.dt.strftime("%Y-%m-%d")
    df = df.drop(columns=[*DROPPED, "Class", "Time"])
    return time_prepared(
        with_ids(df, seed=2013),
        time="date",
        first_test=FIRST_TEST_DATE,
        metric="f1",
        target="ball",
        labels=["no", "yes"],
    )


def _everything_a_ball(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> np.ndarray:
    return np.full(len(test), spec.positive)


def trivial(data: Prepared) -> Sequence[Contender]:
    """Under F1 the sample submission (no pitch is a ball) scores 0; calling every pitch a
    ball is the constant to beat (about 0.5)."""
    return (FunctionContender("constant: every pitch is a ball", _everything_a_ball),)
