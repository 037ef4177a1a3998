"""Amazon fine food reviews (modeldata `training_data` and `testing_data` together), line
breaks as spaces, with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = pd.concat([rdata("modeldata", "training_data"), rdata("modeldata", "testing_data")])
    df["review"] = df["review"].str.replace(r"<br\s*/?>", " ", regex=True)
    return with_ids(df)
