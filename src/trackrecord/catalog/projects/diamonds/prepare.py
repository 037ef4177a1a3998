"""6000 of ggplot2's 53,940 diamonds: a fixed random subset, back in source order, so every
pipeline stays cheap; with seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(rdata("ggplot2", "diamonds").sample(n=6000, random_state=43).sort_index())
