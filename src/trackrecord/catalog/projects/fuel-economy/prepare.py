"""New cars of model years 2012 and 2021 from the EPA fuel economy guide (openintro
`epa2012` and `epa2021`), electric and hydrogen cars left out, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids

COLUMNS = {
    "model_yr": "year",
    "mfr_name": "maker",
    "engine_displacement": "displacement",
    "no_cylinders": "cylinders",
    "no_gears": "gears",
    "transmission_desc": "transmission",
    "air_aspir_method_desc": "aspiration",
    "drive_desc": "drive",
    "fuel_usage_desc": "fuel",
    "class": "vehicle_class",
    "comb_mpg": "mpg",
}


def load() -> pd.DataFrame:
    df = pd.concat([rdata("openintro", "epa2012"), rdata("openintro", "epa2021")])
    df = df[~df["fuel_usage_desc"].isin(["Electricity", "Hydrogen"])]
    df = df[list(COLUMNS)].rename(columns=COLUMNS)
    df["maker"] = df["maker"].str.strip()
    return with_ids(df.reset_index(drop=True))
