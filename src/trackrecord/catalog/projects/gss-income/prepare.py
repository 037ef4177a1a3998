"""General Social Survey 1974-2018: is a respondent's income above $25,000 (1986 dollars)?
The surveys of 2012-2018 are the test set; gender is in train.csv only, for the audit."""

from collections.abc import Sequence

from trackrecord.catalog import fields
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import time_prepared, train_only
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

THRESHOLD = 25_000  # dollars of 1986, about the top 30% of the respondents' incomes
FIRST_TEST_YEAR = 2012


def prepare() -> Prepared:
    df = rdata("stevedata", "gss_wages")
    df = df[df["realrinc"].notna()]
    high = (df["realrinc"] >= THRESHOLD).map({True: "yes", False: "no"})
    df = df.assign(high_income=high).drop(columns="realrinc")
    data = time_prepared(
        with_ids(df, seed=1974),
        time="year",
        first_test=FIRST_TEST_YEAR,
        metric="roc_auc",
        target="high_income",
    )
    return train_only(data, ["gender"])


def field(data: Prepared) -> Sequence[Contender]:
    """The standard classifiers on what test.csv holds."""
    return fields.classification_field(len(data.train), proba=True)
