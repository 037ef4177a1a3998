"""Hill et al.'s cell segmentation data (modeldata `cells`): was each cell outlined well or
poorly by the image software? With seeded ids; the source's own train/test flag is dropped."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    df = rdata("modeldata", "cells").drop(columns=["case"])
    df = df.rename(columns={"class": "segmentation"})
    df["segmentation"] = df["segmentation"].map({"PS": "poor", "WS": "well"})
    return with_ids(df)
