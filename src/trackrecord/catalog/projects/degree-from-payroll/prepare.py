"""A degree in the pay slips? The National Longitudinal Survey of Young Women (1968-1988,
sampleSelection's nlswork) as sequences: each row is one woman's working life, her yearly
wage, hours, weeks worked, total experience and tenure in each of the 15 survey years she
could have answered (empty when she did not), and her birth year. Target: did she finish
college? Years of schooling and any other education column are left out."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids

SERIES = ("ln_wage", "hours", "wks_work", "ttl_exp", "tenure")


def load() -> pd.DataFrame:
    raw = rdata("sampleSelection", "nlswork")
    wide = raw.pivot_table(index="idcode", columns="year", values=list(SERIES))
    years = sorted(raw["year"].unique())
    wide = wide.reindex(columns=pd.MultiIndex.from_product([SERIES, years]))
    wide.columns = [f"{name}_{1900 + year}" for name, year in wide.columns]
    women = raw.drop_duplicates("idcode").set_index("idcode")
    out = pd.DataFrame({"birth_year": women["birth_yr"] + 1900})
    out = out.join(wide.round(3))
    out["college"] = women["collgrad"].map({0: "no", 1: "yes"})
    return with_ids(out.reset_index(drop=True))
