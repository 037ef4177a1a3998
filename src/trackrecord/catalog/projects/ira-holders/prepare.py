"""Wooldridge's 1991 SIPP sample of 401(k)-era households (`k401ksubs`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("wooldridge", "k401ksubs")
    # incsq and agesq are squares of inc and age: a model can square a column itself.
    df = df.drop(columns=["incsq", "agesq"])
    df["pira"] = df["pira"].map({0: "no", 1: "yes"})
    return with_ids(df, seed=9275)
