"""Research grant applications at the University of Melbourne (modeldata `grants_other` and
`grants_test`, from Kuhn and Johnson's Applied Predictive Modeling): learn from the
applications made before 2008, predict those of 2008."""

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.model import SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import with_ids

BEFORE_2008 = 6633  # grants_other lists the 6,633 applications made before 2008 first
MIN_NONZERO = 10  # a count column must be non-zero in at least this many applications
CATEGORIES = ["sponsor_code", "contract_value_band", "category_code", "month", "weekday"]
SEED = 2008


def grants() -> pd.DataFrame:
    """Every application, with the year group as a column; count columns that are zero
    almost everywhere (a research code used by fewer than ten applications) are left out."""
    other, held = rdata("modeldata", "grants_other"), rdata("modeldata", "grants_test")
    other["in_2008"] = (other.index >= BEFORE_2008).astype(int)
    held["in_2008"] = 1  # grants_test: 518 more applications of 2008
    df = pd.concat([other, held], ignore_index=True)
    counts = df.drop(columns=["class", "in_2008", *CATEGORIES])
    kept = [c for c in counts.columns if int((counts[c] != 0).sum()) >= MIN_NONZERO]
    return df[[*CATEGORIES, *kept, "in_2008", "class"]]


def prepare() -> Prepared:
    df = with_ids(grants())
    split = splits.Split(
        df[df["in_2008"] == 0].sort_values("id"), df[df["in_2008"] == 1].sort_values("id")
    )
    usage = splits.usage(split.test, seed=SEED, stratify="class")
    return assemble(
        split,
        usage,
        metric="roc_auc",
        target="class",
        labels=("unsuccessful", "successful"),
        split_info=SplitInfo("time", "in_2008"),
    )
