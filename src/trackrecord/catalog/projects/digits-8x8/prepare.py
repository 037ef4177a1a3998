"""scikit-learn's 1797 handwritten digits, one column per pixel, with seeded ids."""

import pandas as pd
from sklearn.datasets import load_digits

from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    """The 8x8 digits, one column per pixel (`px_<row>_<col>`), and the `digit`."""
    digits = load_digits()
    names = [f"px_{r}_{c}" for r in range(8) for c in range(8)]
    df = pd.DataFrame(digits.data.astype(int), columns=names)
    df["digit"] = digits.target
    return with_ids(df)
