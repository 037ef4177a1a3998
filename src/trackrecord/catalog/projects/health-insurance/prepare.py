"""Working-age adults in the 1996 Medical Expenditure Panel Survey (AER `HealthInsurance`),
with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("AER", "HealthInsurance"))
