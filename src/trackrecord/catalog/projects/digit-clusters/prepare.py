"""scikit-learn's handwritten digits without their labels: a clustering split, and a field
that adds the embedding pipelines (PCA + t-SNE) to the standard clusterers."""

from collections.abc import Sequence

import pandas as pd
from sklearn.datasets import load_digits

from trackrecord.catalog.fields import cluster_field, embedding_cluster_field
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, unsupervised
from trackrecord.catalog.splits import with_ids


def digits_frame() -> pd.DataFrame:
    """The 8x8 digits, one column per pixel (`px_<row>_<col>`), and the `digit`."""
    digits = load_digits()
    names = [f"px_{r}_{c}" for r in range(8) for c in range(8)]
    df = pd.DataFrame(digits.data.astype(int), columns=names)
    df["digit"] = digits.target
    return df


def prepare() -> Prepared:
    return unsupervised(
        with_ids(digits_frame()), metric="adjusted_rand", target="digit", test_size=0.45, seed=97
    )


def field(data: Prepared) -> Sequence[Contender]:
    return (*cluster_field(10), *embedding_cluster_field(10))
