"""Seattle pet licences (openintro `seattlepets`): cat or dog from the pet's name, the zip
code and the date; the breeds and licence number are removed (they tell the species).
Learn from licences issued before July 2018, predict those issued after."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.fields import text_field
from trackrecord.catalog.model import Contender, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble, rdata
from trackrecord.catalog.splits import Split

TEST_FROM = "2018-07-01"
# Names pandas reads back as missing: such licences are left out with the unnamed ones.
NA_NAMES = {"", "#N/A", "#NA", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
SEED = 157


def pets() -> pd.DataFrame:
    df = rdata("openintro", "seattlepets")
    df = df[df["species"].isin(["Cat", "Dog"])]  # 44 goats and pigs are left out
    # About 900 licences have no name or no valid zip code: left out too.
    zip5 = df["zip_code"].astype(str).str[:5]
    named = df["animal_name"].notna() & ~df["animal_name"].astype(str).str.strip().isin(NA_NAMES)
    df = df[named & zip5.str.fullmatch(r"\d{5}")]
    out = pd.DataFrame(
        {
            "license_issue_date": df["license_issue_date"].astype(str),
            "animal_name": df["animal_name"].astype(str),
            "zip_code": df["zip_code"].astype(str).str[:5],
            "species": df["species"].str.lower(),
        }
    )
    return splits.with_ids(out.sort_values(["license_issue_date", "animal_name"], kind="stable"))


def prepare() -> Prepared:
    df = pets()
    later = df["license_issue_date"] >= TEST_FROM
    split = Split(df[~later].sort_values(splits.ID), df[later].sort_values(splits.ID))
    usage = splits.usage(split.test, seed=SEED, stratify="species")
    return assemble(
        split,
        usage,
        metric="roc_auc",
        target="species",
        labels=["dog", "cat"],
        split_info=SplitInfo("time", "license_issue_date"),
    )


def field(data: Prepared) -> Sequence[Contender]:
    return text_field("animal_name")
