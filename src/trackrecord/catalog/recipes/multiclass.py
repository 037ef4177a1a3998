"""Multiclass classification projects."""

from __future__ import annotations

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import SEED, classification_field, for_trees, tuned, with_pre
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

LOGISTIC = "from sklearn.linear_model import LogisticRegression"


@recipe(
    "hpc-jobs",
    title="How long will this compute job run?",
    task="multiclass-classification",
    metric="macro_f1",
    level=3,
    skills=("multiclass", "imbalanced-data", "gradient-boosting", "skewed-targets"),
    apply_elsewhere=("chile-vote",),
    summary="Sort jobs on a high-performance computing cluster into very fast, fast, medium"
    " and long, so a scheduler can plan.",
    gold_margin=0.01,
)
def hpc_jobs() -> Project:
    df = with_ids(rdata("modeldata", "hpc_data"))
    data = supervised(df, metric="macro_f1", target="class", test_size=0.3, seed=21, stratify=True)
    model = for_trees(
        lambda: HistGradientBoostingClassifier(class_weight="balanced", random_state=SEED)
    )
    return data.project(
        brief=Brief(
            source="R package modeldata, data set `hpc_data` (Kuhn and Johnson, Applied"
            " Predictive Modeling, Pfizer's compute cluster).",
            about="4331 jobs submitted to a high-performance computing cluster, with the"
            " protocol, the size of the work and the state of the queue at submission.",
            target="`class`: `VF` (very fast), `F` (fast), `M` (medium) or `L` (long).",
            metric_why="Macro F1 averages the F1 score of each class equally, so the rare long"
            " jobs (6%), the ones that matter to a scheduler, count as much as the common ones.",
            columns={
                "protocol": "the analysis protocol (letters A to O)",
                "compounds": "number of compounds to process",
                "input_fields": "number of input fields",
                "iterations": "number of iterations",
                "num_pending": "jobs pending in the queue at submission",
                "hour": "time of day of submission (decimal hours)",
                "day": "day of the week",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on compounds and input fields",
            model="LogisticRegression(max_iter=1000)",
            imports=LOGISTIC,
            numeric=("compounds", "input_fields"),
            explanation="Logistic regression on two skewed size columns; it mostly predicts"
            " the common classes.",
        ),
        reference=SklearnContender("reference: gradient boosting, balanced classes", model),
        field=classification_field(len(data.train), proba=False),
    )


@recipe(
    "chile-vote",
    title="Chile 1988: how will they vote?",
    task="multiclass-classification",
    metric="macro_f1",
    level=3,
    skills=("multiclass", "missing-data", "categorical-encoding", "linear-models"),
    apply_elsewhere=("hpc-jobs", "smoke-ban"),
    summary="Predict a voter's intention in Chile's 1988 plebiscite: yes, no, undecided or"
    " abstain.",
    gold_margin=0.01,
)
def chile_vote() -> Project:
    df = rdata("carData", "Chile").dropna(subset=["vote"])
    data = supervised(
        with_ids(df), metric="macro_f1", target="vote", test_size=0.35, seed=23, stratify=True
    )
    model = with_pre(lambda: LogisticRegression(class_weight="balanced", max_iter=2000))
    grid = {"logisticregression__C": [0.03, 0.3, 3.0]}
    return data.project(
        brief=Brief(
            source="R package carData, data set `Chile` (FLACSO/Chile national survey, April"
            " and May 1988; Fox, An R Companion to Applied Regression).",
            about="2532 respondents of a survey before the plebiscite on Pinochet's rule, with"
            " region, demographics and a scale of support for the status quo. Respondents"
            " without a stated intention were removed.",
            target="`vote`: `Y` (yes, for Pinochet), `N` (no), `U` (undecided), `A` (abstain).",
            metric_why="Macro F1 weighs the four intentions equally, so undecided and abstaining"
            " voters are not ignored in favour of the two big camps.",
            columns={
                "region": "C (central), M (metropolitan Santiago), N (north), S (south),"
                " SA (city of Santiago)",
                "population": "population of the respondent's community",
                "sex": "F or M",
                "age": "age in years",
                "education": "P (primary), S (secondary), PS (post-secondary)",
                "income": "monthly income in pesos",
                "statusquo": "scale of support for the status quo (higher: more support)",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on age and income",
            model="LogisticRegression(max_iter=1000)",
            imports=LOGISTIC,
            numeric=("age", "income"),
            explanation="Logistic regression on age and income; the status-quo scale is left"
            " for you to find.",
        ),
        reference=SklearnContender(
            "reference: tuned logistic regression, balanced classes",
            tuned(model, grid, data.spec, "macro_f1"),
        ),
        field=classification_field(len(data.train), proba=False),
    )


@recipe(
    "uk-vote-1997",
    title="Britain 1997: Labour, Conservative or Lib Dem?",
    task="multiclass-classification",
    metric="accuracy",
    level=2,
    skills=("multiclass", "linear-models", "scaling", "svm"),
    apply_elsewhere=("chile-vote",),
    summary="Predict how British voters voted in 1997 from their views on the economy,"
    " Europe and the three party leaders.",
    gold_margin=0.01,
)
def uk_vote_1997() -> Project:
    df = rdata("carData", "BEPS").rename(columns=lambda c: c.replace(".", "_"))
    data = supervised(
        with_ids(df), metric="accuracy", target="vote", test_size=0.35, seed=29, stratify=True
    )
    model = with_pre(lambda: LogisticRegression(max_iter=2000))
    grid = {"logisticregression__C": [0.03, 0.3, 3.0]}
    return data.project(
        brief=Brief(
            source="R package carData, data set `BEPS` (British Election Panel Study"
            " 1997-2001; Fox, An R Companion to Applied Regression).",
            about="1525 respondents of the British Election Panel Study: their vote in the"
            " 1997 general election, age and gender, how they judge the economy, their"
            " ratings of the three party leaders, their attitude to European integration"
            " and a measure of political knowledge.",
            target="`vote`: `Labour`, `Conservative` or `Liberal Democrat`.",
            metric_why="Accuracy, the share of votes predicted correctly: every voter counts"
            " the same, as in an election.",
            columns={
                "age": "age in years",
                "economic_cond_national": "assessment of the national economy, 1 to 5",
                "economic_cond_household": "assessment of household finances, 1 to 5",
                "Blair": "rating of the Labour leader, 1 to 5",
                "Hague": "rating of the Conservative leader, 1 to 5",
                "Kennedy": "rating of the Liberal Democrat leader, 1 to 5",
                "Europe": "Eurosceptic attitude, 1 (pro) to 11 (sceptic)",
                "political_knowledge": "knowledge of the parties' positions on Europe, 0 to 3",
                "gender": "female or male",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on age and the economy",
            model="LogisticRegression(max_iter=1000)",
            imports=LOGISTIC,
            numeric=("age", "economic_cond_national", "economic_cond_household"),
            explanation="Logistic regression on age and the two economic assessments; the"
            " leader ratings are left for you.",
        ),
        reference=SklearnContender(
            "reference: tuned logistic regression, all columns",
            tuned(model, grid, data.spec, "accuracy"),
        ),
        field=classification_field(len(data.train), proba=False),
    )


def _car_columns() -> dict[str, str]:
    return {
        "college": "1 if the respondent went to college",
        "hsg2": "1 if the household has more than two people",
        "coml5": "1 if the commute is under 5 miles a day",
        "type1": "body type of alternative 1 (regcar, sportuv, sportcar, stwagon, truck, van)",
        "fuel1": "fuel of alternative 1 (gasoline, methanol, cng, electric)",
        "price1": "price of alternative 1 divided by the log of income",
        "range1": "driving range of alternative 1 (hundreds of miles)",
        "acc1": "acceleration of alternative 1 (tens of seconds from 0 to 30 mph)",
        "cost1": "cost per mile of alternative 1 (cents)",
        "pollution1": "tailpipe emissions of alternative 1 relative to gasoline",
    }


@recipe(
    "car-choice",
    title="Which car would they choose?",
    task="multiclass-classification",
    metric="log_loss",
    level=5,
    skills=("discrete-choice", "feature-engineering", "probability-calibration", "multiclass"),
    apply_elsewhere=("smoke-ban",),
    summary="Each respondent chose among six hypothetical cars, described by price, range,"
    " fuel and more: predict the probability of each choice.",
    gold_margin=0.01,
)
def car_choice() -> Project:
    df = with_ids(rdata("Ecdat", "Car"))
    data = supervised(df, metric="log_loss", target="choice", test_size=0.3, seed=31, stratify=True)
    model = with_pre(lambda: LogisticRegression(max_iter=3000))
    grid = {"logisticregression__C": [0.01, 0.03, 0.1]}
    return data.project(
        brief=Brief(
            source="R package Ecdat, data set `Car` (stated-preference survey in California;"
            " McFadden and Train 2000, Brownstone et al. 1996).",
            about="4654 survey answers. Each respondent saw six hypothetical vehicles, each"
            " described by body type, fuel, price, range, acceleration, speed, pollution,"
            " size, luggage space, running cost and station availability (columns ending in"
            " 1 to 6), and picked one.",
            target="`choice`: which alternative was picked, `choice1` to `choice6`. Submit one"
            " probability per alternative, in columns named `choice1` ... `choice6`.",
            metric_why="Log loss scores the whole probability distribution: a demand forecast"
            " needs calibrated choice shares, not a single guess.",
            columns=_car_columns(),
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on the six prices",
            model="LogisticRegression(max_iter=1000)",
            imports=LOGISTIC,
            numeric=tuple(f"price{i}" for i in range(1, 7)),
            explanation="Multinomial logistic regression on the six prices only.",
        ),
        reference=SklearnContender(
            "reference: tuned multinomial logistic regression, all columns",
            tuned(model, grid, data.spec, "log_loss"),
        ),
        field=classification_field(len(data.train), proba=True),
    )
