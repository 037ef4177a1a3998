"""Hawks caught at Lake MacBride, Iowa (Stat2Data `Hawks`): five body measurements, the
species hidden; a clustering split."""

from trackrecord.catalog.prepare import Prepared, rdata, unsupervised
from trackrecord.catalog.splits import with_ids

MEASUREMENTS = ["Wing", "Weight", "Culmen", "Hallux", "Tail"]


def prepare() -> Prepared:
    df = rdata("Stat2Data", "Hawks")
    # The five measurements taken on (nearly) every bird; the rest (sex, fat scores, tarsus)
    # are missing for most. 17 birds lack one of the five and are left out.
    df = df.dropna(subset=MEASUREMENTS)[[*MEASUREMENTS, "Species"]]
    df = df.rename(columns={c: c.lower() for c in MEASUREMENTS})
    df["species"] = df.pop("Species").map(
        {"RT": "red-tailed", "CH": "Cooper's", "SS": "sharp-shinned"}
    )
    # 540 of the 891 birds are test rows, so the private 70% holds over 370 of them; the
    # train rows only add unlabelled birds to cluster with.
    return unsupervised(
        with_ids(df), metric="adjusted_rand", target="species", test_size=540, seed=131
    )
