"""The Australian Health Survey 1977-78 (AER `DoctorVisits`), with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("AER", "DoctorVisits"))
