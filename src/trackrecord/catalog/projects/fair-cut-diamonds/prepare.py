"""Fair-cut diamonds as anomalies: ggplot2's diamonds, a seeded sample of the well-cut
stones plus every Fair cut; train gets only 30 labelled Fair cuts."""

from collections.abc import Sequence

import numpy as np

from trackrecord.catalog.anomaly import anomaly_field, few_labels
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

NORMAL_ROWS = 16_000  # well-cut stones kept (of 52,330): enough for the field to stay quick


def prepare() -> Prepared:
    df = rdata("ggplot2", "diamonds")
    df["fair"] = np.where(df["cut"] == "Fair", "yes", "no")
    df = df.drop(columns="cut")
    rng = np.random.default_rng(5)
    keep = (df["fair"] == "yes") | (rng.random(len(df)) < NORMAL_ROWS / (df["fair"] == "no").sum())
    df = with_ids(df[keep].reset_index(drop=True))
    return few_labels(
        df,
        metric="pr_auc",
        target="fair",
        positive="yes",
        train_positives=30,
        test_normals=4000,
        test_positives=200,
        seed=7,
    )


def field(data: Prepared) -> Sequence[Contender]:
    return anomaly_field()
