"""Young women's wages, 1968-1988: a panel of yearly interviews, split by woman."""

import dataclasses
from collections.abc import Sequence

import numpy as np

from trackrecord.catalog import fields
from trackrecord.catalog.model import Contender
from trackrecord.catalog.pitfalls import group_prepared
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import seed_for, with_ids

RACE = {1: "white", 2: "black", 3: "other"}


def prepare() -> Prepared:
    df = rdata("sampleSelection", "nlswork")
    # The survey's idcode would find a woman's rows in the installed source: replace it
    # by an opaque number drawn from a seed (a hosted copy draws its own).
    codes = df["idcode"].unique()
    numbers = np.random.default_rng(seed_for(1968)).permutation(len(codes)) + 1
    person = dict(zip(codes, numbers, strict=True))
    df = df.assign(
        person=df["idcode"].map(person),
        year=df["year"] + 1900,
        birth_yr=df["birth_yr"] + 1900,
        race=df["race"].map(RACE),
    ).drop(columns="idcode")
    return group_prepared(
        with_ids(df, seed=1988),
        group="person",
        test_size=0.4,
        seed=88,
        metric="rmse",
        target="ln_wage",
    )


def field(data: Prepared) -> Sequence[Contender]:
    """The standard regressors on every column but the woman's number."""
    features = [c for c in data.test.columns if c not in (data.spec.id_column, "person")]
    return [
        dataclasses.replace(c, features=features) for c in fields.regression_field(len(data.train))
    ]
