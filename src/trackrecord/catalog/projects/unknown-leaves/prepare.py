"""Leaves of species outside the catalogue as anomalies (modeldata's leaf_id_flavia): six
of the 32 species are unknown. Train holds the catalogued leaves with their species and 15
labelled unknown leaves of two unknown species; four unknown species appear only in test."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trackrecord.catalog.anomaly import anomaly_field, few_labels
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

SEEN_UNKNOWN = ("big_fruited_holly", "wintersweet")  # a few labelled leaves in train
NEVER_SEEN = ("chinese_horse_chestnut", "nanmu", "castor_aralia", "southern_magnolia")


def prepare() -> Prepared:
    df = rdata("modeldata", "leaf_id_flavia")
    unknown = df["species"].isin([*SEEN_UNKNOWN, *NEVER_SEEN])
    never_seen = df["species"].isin(NEVER_SEEN).to_numpy()
    df["unknown"] = np.where(unknown, "yes", "no")
    df["species"] = df["species"].where(~unknown)  # an unknown leaf has no catalogued species
    df = with_ids(df.rename(columns={"num_max_ponits": "num_max_points"}))
    return few_labels(
        df,
        metric="roc_auc",
        target="unknown",
        positive="yes",
        train_positives=15,
        test_normals=900,
        test_positives=150,
        seed=5,
        novel=pd.Series(never_seen),
        train_only=["species"],
    )


def field(data: Prepared) -> Sequence[Contender]:
    features = [c for c in data.test.columns if c != "id"]
    return anomaly_field(features)
