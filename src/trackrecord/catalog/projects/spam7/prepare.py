"""Spambase's six summary counts per e-mail, the target as yes/no, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("DAAG", "spam7").rename(columns={"crl.tot": "crl_tot", "yesno": "spam"})
    df["spam"] = df["spam"].map({"y": "yes", "n": "no"})
    return with_ids(df)
