"""Project STAR (Tennessee, 1985-1989): third-grade maths scores from each pupil's record
in kindergarten to grade 2 and their grade-3 class; whole grade-3 schools are held out."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

SEED = 85
GRADES = ("k", "1", "2", "3")
EARLIER = ("k", "1", "2")
# per grade: class type, lunch, school location, and the teacher's degree, career ladder
# step, years of experience and ethnicity
CONTEXT = ("star", "lunch", "school", "degree", "ladder", "experience", "tethnicity")


def columns() -> Sequence[str]:
    scores = [f"{s}{g}" for g in EARLIER for s in ("read", "math")]
    context = [f"{c}{g}" for g in GRADES for c in CONTEXT]
    return ["gender", "ethnicity", "birth", *scores, *context]


def table() -> pd.DataFrame:
    df = rdata("AER", "STAR")
    # pupils tested in maths in grade 3, in a known school; the grade-3 reading score was
    # taken at the same time as the answer and is left out
    df = df[df["math3"].notna() & df["schoolid3"].notna()]
    out = df[list(columns())].copy()
    out["school"] = "S" + df["schoolid3"].astype(int).astype(str)
    out["math3"] = df["math3"].astype(float)
    return with_ids(out)


def prepare() -> Prepared:
    df = table()
    split = splits.group_split(df, group="school", test_size=0.35, seed=SEED)
    return assemble(
        split,
        splits.usage(split.test, seed=SEED, group="school"),
        metric="rmse",
        target="math3",
        split_info=SplitInfo("group", "school"),
    )
