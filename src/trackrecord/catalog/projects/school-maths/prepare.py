"""nlme's maths achievement of 7,185 pupils with their school's description, seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    pupils = rdata("nlme", "MathAchieve")
    # MEANSES is in both tables with the same values: keep the pupils' copy.
    schools = rdata("nlme", "MathAchSchool").drop(columns=["MEANSES"])
    df = pupils.merge(schools, on="School", how="left", validate="many_to_one")
    return with_ids(df, seed=7185)
