"""Job-programme applicants hidden in a national survey: the 445 applicants of the National
Supported Work Demonstration (DAAG `nsw74demo`) among 15,992 men of the Current Population
Survey (DAAG `cps1`), on the columns both share. The applicants are the anomalies; train
holds only 20 of them."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog.anomaly import anomaly_field, few_labels
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

COLUMNS = ["age", "educ", "black", "hisp", "marr", "nodeg", "re74", "re75"]


def people() -> pd.DataFrame:
    survey = rdata("DAAG", "cps1")[COLUMNS].assign(applicant="no")
    applicants = rdata("DAAG", "nsw74demo")[COLUMNS].assign(applicant="yes")
    df = pd.concat([survey, applicants], ignore_index=True)
    df = df.rename(
        columns={
            "educ": "education",
            "hisp": "hispanic",
            "marr": "married",
            "nodeg": "no_degree",
            "re74": "earnings_1974",
            "re75": "earnings_1975",
        }
    )
    df[["earnings_1974", "earnings_1975"]] = df[["earnings_1974", "earnings_1975"]].round(2)
    return with_ids(df, seed=1976)


def prepare() -> Prepared:
    return few_labels(
        people(),
        metric="pr_auc",
        target="applicant",
        positive="yes",
        train_positives=20,
        test_normals=5000,
        test_positives=400,
        seed=76,
    )


def field(data: Prepared) -> Sequence[Contender]:
    return anomaly_field()
