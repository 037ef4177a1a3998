"""Breast cancer Wisconsin diagnostic data (dslabs `brca`): 30 measurements of the cell
nuclei in each image, the diagnosis hidden; a clustering split."""

from trackrecord.catalog.prepare import Prepared, rdata, unsupervised
from trackrecord.catalog.splits import with_ids


def prepare() -> Prepared:
    df = rdata("dslabs", "brca")
    df.columns = [c.removeprefix("x.") for c in df.columns]
    df["diagnosis"] = df.pop("y").map({"B": "benign", "M": "malignant"})
    # 440 of the 569 masses are test rows, so the private 70% holds more than 300 of them;
    # train.csv only adds unlabelled masses, which a clusterer may use just as well.
    return unsupervised(
        with_ids(df), metric="adjusted_rand", target="diagnosis", test_size=440, seed=137
    )
