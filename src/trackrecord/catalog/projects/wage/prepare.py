"""ISLR's Mid-Atlantic wage survey without the one-valued `region`, with seeded ids. The
log wage is the answer: [split] keeps it out of both files (`hidden`)."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("ISLR", "Wage").drop(columns=["region"]))
