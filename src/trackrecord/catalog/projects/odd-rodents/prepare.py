"""Rare species as anomalies among the Portal Project's rodent captures (ratdat's
`complete` table): the twelve species with 500 or more measured captures are normal."""

from collections.abc import Sequence

import numpy as np

from trackrecord.catalog.anomaly import anomaly_field, few_labels
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

COMMON = 500  # captures with a weight, hind foot and sex: fewer makes a species rare
COLUMNS = ["year", "month", "plot_id", "plot_type", "sex", "hindfoot_length", "weight"]


def prepare() -> Prepared:
    df = rdata("ratdat", "complete").dropna(subset=["hindfoot_length", "weight", "sex"])
    counts = df["species_id"].value_counts()
    df["rare"] = np.where(df["species_id"].isin(counts[counts >= COMMON].index), "no", "yes")
    df = with_ids(df[[*COLUMNS, "rare"]].reset_index(drop=True))
    return few_labels(
        df,
        metric="roc_auc",
        target="rare",
        positive="yes",
        train_positives=20,
        test_normals=5000,
        test_positives=300,
        seed=7,
    )


def field(data: Prepared) -> Sequence[Contender]:
    return anomaly_field()
