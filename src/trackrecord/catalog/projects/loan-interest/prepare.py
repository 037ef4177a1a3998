"""Lending Club loans, first quarter of 2018: price the March loans from January and February.

train.csv is an extract of the loan book taken months after the loans were issued, so it
carries what the borrowers had paid by then. test.csv holds the March loans as they were on
the day they were priced: nothing paid yet. Those payment columns are the trap.
"""

import dataclasses
from collections.abc import Sequence

from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression

from trackrecord.catalog import fields
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import as_at_decision, time_prepared
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

ID_SEED = 2019
MONTHS = {"Jan-2018": "2018-01", "Feb-2018": "2018-02", "Mar-2018": "2018-03"}
# Set by the lender with the rate (grade, sub-grade) or computed from it (installment), or
# the loan's later fate (status): none of them exists before the rate does.
SAME_DECISION = ["grade", "sub_grade", "installment", "loan_status"]
# Recorded after the loan was issued: at pricing time nothing has been paid yet.
AT_PRICING = {
    "balance": "loan_amount",
    "paid_total": 0.0,
    "paid_principal": 0.0,
    "paid_interest": 0.0,
    "paid_late_fees": 0.0,
}


def prepare() -> Prepared:
    df = rdata("openintro", "loans_full_schema").drop(columns=SAME_DECISION)
    df = with_ids(df.assign(issue_month=df["issue_month"].map(MONTHS)), seed=ID_SEED)
    data = time_prepared(
        df, time="issue_month", first_test="2018-03", metric="mae", target="interest_rate"
    )
    return dataclasses.replace(data, test=as_at_decision(data.test, AT_PRICING))


def application_columns(data: Prepared) -> list[str]:
    """What is known when a loan is priced: every test column but the id and the payments."""
    return [c for c in data.test.columns if c not in (data.spec.id_column, *AT_PRICING)]


def field(data: Prepared) -> Sequence[Contender]:
    known = application_columns(data)
    standard = [
        dataclasses.replace(c, name=f"{c.name}, application columns", features=known)
        for c in fields.regression_field(len(data.train))
    ]
    return (*standard, trusting_the_leak(data))


def trusting_the_leak(data: Prepared) -> Contender:
    """What a learner who reads every column gets: the standard boosting pipeline."""
    return SklearnContender(
        "gradient boosting on every column (trusts the payment columns)",
        fields.for_trees(lambda: HistGradientBoostingRegressor(random_state=fields.SEED)),
        features=[c for c in data.test.columns if c != data.spec.id_column],
    )


def trivial(data: Prepared) -> Sequence[Contender]:
    """Trusting the leak must not earn a medal: the boosting pipeline that reads every
    column, and the payment columns alone, both stay below the baseline."""
    return (
        trusting_the_leak(data),
        SklearnContender(
            "linear regression on the payment columns and the amount (the leak alone)",
            fields.with_pre(LinearRegression),
            features=[*AT_PRICING, "loan_amount", "term"],
        ),
    )
