"""Regression projects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import (
    SEED,
    Make,
    for_trees,
    log_target,
    regression_field,
    tuned,
)
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import Prepared, rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

LINEAR = "from sklearn.linear_model import LinearRegression"
HGB = "histgradientboostingregressor__"


def _hgb(**kw: Any) -> Make:
    return for_trees(lambda: HistGradientBoostingRegressor(random_state=SEED, **kw))


def _project(
    data: Prepared,
    brief: Brief,
    *,
    numeric: tuple[str, ...],
    why: str,
    reference: tuple[str, Make],
    log: bool = False,
) -> Project:
    """Linear-regression baseline on `numeric`, the given reference, the regression field."""
    baseline = model_baseline(
        data.spec,
        name=f"baseline: linear regression on {', '.join(numeric)}",
        model="LinearRegression()",
        imports=LINEAR,
        numeric=numeric,
        explanation=why,
    )
    return data.project(
        brief=brief,
        baseline=baseline,
        reference=SklearnContender(*reference),
        field=regression_field(len(data.train), log=log),
    )


def _sample(df: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """A fixed random subset, back in source order: keeps every pipeline cheap."""
    return df.sample(n=n, random_state=seed).sort_index()


@recipe(
    "ten-mile-race",
    title="Cherry Blossom ten-mile race times",
    task="regression",
    metric="mae",
    level=1,
    skills=("baselines", "linear-models", "feature-engineering"),
    apply_elsewhere=("wage",),
    summary="Predict a runner's net time in a ten-mile race from age, sex and home state.",
    gold_margin=5.0,
)
def ten_mile_race() -> Project:
    df = rdata("mosaicData", "TenMileRace").drop(columns=["time"]).dropna()
    data = supervised(with_ids(df), metric="mae", target="net", test_size=0.3, seed=41)
    grid = {f"{HGB}max_leaf_nodes": [7, 15]}
    return _project(
        data,
        Brief(
            source="R package mosaicData, data set `TenMileRace` (Cherry Blossom Ten Mile Run,"
            " Washington DC, 2005).",
            about="8636 finishers of a ten-mile road race: age, sex and home state. The gun"
            " time was removed: it is the net time plus the wait to cross the start line.",
            target="`net`: time from crossing the start line to the finish, in seconds.",
            metric_why="Mean absolute error, in seconds: easy to read, and not dominated by the"
            " few walkers who take twice as long.",
            columns={"age": "age in years", "sex": "F or M", "state": "home state or country"},
        ),
        numeric=("age",),
        why="Linear regression on age alone: sex is the obvious next feature.",
        reference=(
            "reference: tuned gradient boosting (absolute error loss)",
            tuned(_hgb(loss="absolute_error"), grid, data.spec, "mae"),
        ),
    )


@recipe(
    "diamonds",
    title="Price a diamond",
    task="regression",
    metric="rmsle",
    level=1,
    skills=("skewed-targets", "categorical-encoding", "trees"),
    apply_elsewhere=("ames-housing",),
    summary="Predict the price of a diamond from its carat, cut, colour, clarity and size.",
    gold_margin=0.005,
)
def diamonds() -> Project:
    df = _sample(rdata("ggplot2", "diamonds"), 6000, seed=43)
    data = supervised(
        with_ids(df), metric="rmsle", target="price", test_size=0.3, seed=43, clip_min=0.0
    )
    grid = {f"{HGB}learning_rate": [0.05, 0.1]}
    return _project(
        data,
        Brief(
            source="R package ggplot2, data set `diamonds` (6000 of its 53,940 diamonds).",
            about="Round-cut diamonds with the 4 Cs (carat, cut, colour, clarity) and their"
            " measured proportions. Prices range from a few hundred to almost 19,000 dollars.",
            target="`price`: the price in US dollars.",
            metric_why="Root mean squared log error judges relative errors: 100 dollars off a"
            " 500-dollar stone is as bad as 2000 off a 10,000-dollar one.",
            columns={
                "carat": "weight (1 carat = 0.2 g)",
                "cut": "Fair, Good, Very Good, Premium, Ideal",
                "color": "D (best) to J (worst)",
                "clarity": "I1 (worst), SI2, SI1, VS2, VS1, VVS2, VVS1, IF (best)",
                "depth": "total depth percentage",
                "table": "width of the top relative to the widest point",
                "x": "length in mm",
                "y": "width in mm",
                "z": "depth in mm",
            },
        ),
        numeric=("carat",),
        why="Linear regression on carat alone, on the raw price scale: the log scale and"
        " the three other Cs are your first improvements.",
        reference=(
            "reference: tuned gradient boosting on log(price)",
            tuned(
                log_target(_hgb()),
                {f"regressor__{k}": v for k, v in grid.items()},
                data.spec,
                "rmsle",
            ),
        ),
        log=True,
    )


@recipe(
    "wage",
    title="Wages in the Mid-Atlantic",
    task="regression",
    metric="rmse",
    level=2,
    skills=("categorical-encoding", "linear-models", "regularization"),
    apply_elsewhere=("cps-wages", "ten-mile-race"),
    summary="Predict a worker's wage from age, education, job class and health.",
    gold_margin=0.3,
)
def wage() -> Project:
    df = rdata("ISLR", "Wage").drop(columns=["region"])
    data = supervised(
        with_ids(df), metric="rmse", target="wage", test_size=0.35, seed=47, hidden=("logwage",)
    )
    grid = {f"{HGB}max_depth": [2, 3], f"{HGB}learning_rate": [0.05]}
    return _project(
        data,
        Brief(
            source="R package ISLR, data set `Wage` (March 2011 Supplement to the Current"
            " Population Survey, Mid-Atlantic region).",
            about="3000 male workers in the Mid-Atlantic region of the US, 2003-2009. The log"
            " wage column was removed from both files (it is the answer).",
            target="`wage`: the worker's raw wage, in thousands of dollars.",
            metric_why="RMSE, in thousands of dollars, penalizes large misses: a few high"
            " earners make it hard.",
            columns={
                "year": "year the wage was recorded",
                "age": "age in years",
                "maritl": "marital status",
                "race": "race",
                "education": "education level",
                "jobclass": "industrial or information",
                "health": "self-reported health",
                "health_ins": "has health insurance",
            },
        ),
        numeric=("age", "year"),
        why="Linear regression on age and year; education, the strongest predictor, is not"
        " used yet.",
        reference=(
            "reference: tuned gradient boosting",
            tuned(_hgb(max_iter=200), grid, data.spec, "rmse"),
        ),
    )


@recipe(
    "concrete",
    title="Concrete compressive strength",
    task="regression",
    metric="rmse",
    level=2,
    skills=("feature-engineering", "ensembles", "gradient-boosting"),
    apply_elsewhere=("diamonds",),
    summary="Predict how strong a concrete mix gets from its ingredients and its age.",
    gold_margin=0.2,
)
def concrete() -> Project:
    df = rdata("modeldata", "concrete")
    data = supervised(
        with_ids(df), metric="rmse", target="compressive_strength", test_size=0.35, seed=53
    )
    grid = {f"{HGB}learning_rate": [0.05, 0.1]}
    return _project(
        data,
        Brief(
            source="R package modeldata, data set `concrete` (Yeh 1998, UCI Concrete"
            " Compressive Strength).",
            about="1030 laboratory tests of concrete mixes: kilograms of each ingredient per"
            " cubic metre, and the age of the sample when it was tested. The relation is"
            " strongly nonlinear (strength grows with age, then levels off).",
            target="`compressive_strength`: strength in megapascals.",
            metric_why="RMSE in megapascals: a structural engineer cares about large errors.",
            columns={
                "cement": "kg/m3",
                "blast_furnace_slag": "kg/m3",
                "fly_ash": "kg/m3",
                "water": "kg/m3",
                "superplasticizer": "kg/m3",
                "coarse_aggregate": "kg/m3",
                "fine_aggregate": "kg/m3",
                "age": "days since casting",
            },
        ),
        numeric=("cement", "water"),
        why="Linear regression on cement and water; the age of the sample is missing.",
        reference=(
            "reference: tuned gradient boosting",
            tuned(_hgb(max_iter=300), grid, data.spec, "rmse"),
        ),
    )


@recipe(
    "cps-wages",
    title="Wages in the 1988 Current Population Survey",
    task="regression",
    metric="rmsle",
    level=2,
    skills=("skewed-targets", "linear-models", "categorical-encoding"),
    apply_elsewhere=("wage",),
    summary="Predict weekly wages from education and experience: the classic Mincer equation.",
    gold_margin=0.005,
)
def cps_wages() -> Project:
    df = _sample(rdata("AER", "CPS1988"), 8000, seed=59)
    data = supervised(
        with_ids(df), metric="rmsle", target="wage", test_size=0.3, seed=59, clip_min=0.0
    )
    forest = for_trees(
        lambda: RandomForestRegressor(150, min_samples_leaf=20, random_state=SEED, n_jobs=1)
    )
    return _project(
        data,
        Brief(
            source="R package AER, data set `CPS1988` (US Current Population Survey, March"
            " 1988; Bierens and Ginther 2001). 8000 of its 28,155 men.",
            about="Men aged 18 to 70 with positive earnings, not self-employed: years of"
            " education and of potential experience, ethnicity, city or not, region, part time.",
            target="`wage`: weekly wage in dollars (deflated to 1992 dollars).",
            metric_why="RMSLE judges relative errors, as economists model wages on the log scale.",
            columns={
                "education": "years of education",
                "experience": "years of potential work experience (age - education - 6)",
                "ethnicity": "cauc or afam",
                "smsa": "lives in a metropolitan area",
                "region": "northeast, midwest, south, west",
                "parttime": "works part time",
            },
        ),
        numeric=("education",),
        why="Linear regression on years of education, on the raw scale; experience has a"
        " curved effect worth modelling.",
        reference=("reference: random forest on log(wage)", log_target(forest)),
        log=True,
    )


def _ames() -> pd.DataFrame:
    df = rdata("modeldata", "ames")
    return df.drop(columns=["Longitude", "Latitude"])


@recipe(
    "ames-housing",
    title="House prices in Ames, Iowa",
    task="regression",
    metric="rmsle",
    level=3,
    skills=("feature-engineering", "categorical-encoding", "skewed-targets", "gradient-boosting"),
    apply_elsewhere=("diamonds",),
    summary="Price houses sold in Ames, Iowa from 70 descriptions of the lot, the building"
    " and the sale.",
    gold_margin=0.004,
)
def ames_housing() -> Project:
    data = supervised(
        with_ids(_ames()), metric="rmsle", target="Sale_Price", test_size=0.3, seed=61, clip_min=0.0
    )
    columns: Mapping[str, str] = {
        "Gr_Liv_Area": "above-ground living area (square feet)",
        "Overall_Qual": "overall material and finish quality",
        "Year_Built": "original construction year",
        "Neighborhood": "location within Ames",
        "Total_Bsmt_SF": "basement area (square feet)",
        "Garage_Cars": "garage size in cars",
    }
    return _project(
        data,
        Brief(
            source="R package modeldata, data set `ames` (De Cock 2011, Ames Iowa Assessor's"
            " Office).",
            about="2930 residential sales in Ames, Iowa, 2006-2010, with 70 columns about the"
            " property. Missing features are coded as levels such as `No_Garage`.",
            target="`Sale_Price`: the sale price in dollars.",
            metric_why="RMSLE makes a 10% miss on a cheap house as bad as on an expensive one,"
            " as in the Kaggle competition on the same data.",
            columns=columns,
        ),
        numeric=("Gr_Liv_Area", "Year_Built"),
        why="Linear regression on living area and year built, on the raw price scale.",
        reference=(
            "reference: gradient boosting on log(price)",
            log_target(_hgb(max_iter=300, learning_rate=0.05)),
        ),
        log=True,
    )


@recipe(
    "doctor-visits",
    title="How often do people see a doctor?",
    task="regression",
    metric="poisson_deviance",
    level=3,
    skills=("count-data", "linear-models", "gradient-boosting"),
    apply_elsewhere=("hotel-rates",),
    summary="Predict the number of doctor visits in two weeks from health, income and insurance.",
    gold_margin=0.005,
)
def doctor_visits() -> Project:
    df = rdata("AER", "DoctorVisits")
    data = supervised(
        with_ids(df),
        metric="poisson_deviance",
        target="visits",
        test_size=0.3,
        seed=67,
        clip_min=0.001,
    )
    model = _hgb(
        loss="poisson", learning_rate=0.05, max_iter=100, max_leaf_nodes=15, min_samples_leaf=40
    )
    return _project(
        data,
        Brief(
            source="R package AER, data set `DoctorVisits` (Australian Health Survey 1977-78;"
            " Cameron and Trivedi 1998).",
            about="5190 adults: sex, age, income, illnesses and days of reduced activity in"
            " the last two weeks, a health questionnaire score and their insurance. Four in"
            " five made no visit at all.",
            target="`visits`: number of doctor consultations in the past two weeks (0 to 9).",
            metric_why="Mean Poisson deviance is the natural loss for counts: it expects"
            " strictly positive predictions and judges them on the scale of the count.",
            columns={
                "age": "age in years divided by 100",
                "income": "annual income in tens of thousands of dollars",
                "illness": "illnesses in the past two weeks",
                "reduced": "days of reduced activity in the past two weeks",
                "health": "general health questionnaire score (high is bad)",
                "private": "has private insurance",
                "freepoor": "free government insurance for low income",
                "freerepat": "free government insurance for old age, disability or veterans",
                "nchronic": "chronic condition, not limiting",
                "lchronic": "chronic condition, limiting",
            },
        ),
        numeric=("age", "income"),
        why="Linear regression on age and income, clipped to stay positive.",
        reference=("reference: gradient boosting with a Poisson loss, small leaves", model),
    )


@recipe(
    "hotel-rates",
    title="Hotel room prices",
    task="regression",
    metric="mae",
    level=4,
    skills=(
        "feature-engineering",
        "categorical-encoding",
        "gradient-boosting",
        "hyperparameter-tuning",
    ),
    apply_elsewhere=("doctor-visits", "ames-housing"),
    summary="Predict the average daily price of a hotel booking from the stay, the guests and"
    " the sales channel.",
    gold_margin=0.5,
)
def hotel_rates() -> Project:
    df = _sample(rdata("modeldata", "hotel_rates"), 7000, seed=71)
    df = df.assign(arrival_date=pd.to_datetime(df["arrival_date"]).dt.strftime("%Y-%m-%d"))
    data = supervised(
        with_ids(df), metric="mae", target="avg_price_per_room", test_size=0.3, seed=71
    )
    model = _hgb(loss="absolute_error", max_iter=300, learning_rate=0.1, max_leaf_nodes=63)
    return _project(
        data,
        Brief(
            source="R package modeldata, data set `hotel_rates` (Antonio, de Almeida and Nunes"
            " 2019, a resort hotel in Portugal). 7000 of its 15,402 bookings.",
            about="Bookings that were not cancelled: the stay, the guests, the room type, the"
            " booking agent and company, the sales channel and the arrival date.",
            target="`avg_price_per_room`: average daily rate in euros.",
            metric_why="Mean absolute error in euros: what a revenue manager would read.",
            columns={
                "lead_time": "days between booking and arrival",
                "arrival_date": "date of arrival",
                "market_segment": "sales segment",
                "assigned_room_type": "room type given at check-in",
                "agent": "booking agent",
                "company": "company that paid",
            },
        ),
        numeric=("lead_time", "adults", "children"),
        why="Linear regression on lead time and the number of guests: the season, which"
        " matters most for a resort, is hidden in the arrival date.",
        reference=("reference: gradient boosting (absolute error loss), arrival date as-is", model),
    )
