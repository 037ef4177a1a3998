"""Regression projects, levels 1-2 (the helpers here serve `regression_advanced` too).

Every baseline and reference is a code snippet (`CodeContender`): the starter notebook shows
the baseline, and the reference is revealed after a learner finalizes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.fields import regression_field
from trackrecord.catalog.model import Brief, Project, Spec
from trackrecord.catalog.prepare import Prepared, rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

LINEAR = "from sklearn.linear_model import LinearRegression"
LOG_LINEAR = (
    "from sklearn.compose import TransformedTargetRegressor\n"
    "from sklearn.linear_model import LinearRegression"
)
LOG_MODEL = "TransformedTargetRegressor(LinearRegression(), func=np.log, inverse_func=np.exp)"


def kfold_validation(metric_fn: str, extra: str = "") -> str:
    """The validation advice of a randomly split project."""
    return (
        "The test rows are a random sample of the data, so shuffled k-fold cross-validation"
        " on train.csv estimates the test score: `KFold(5, shuffle=True, random_state=0)`,"
        f" fit on four folds, print `sklearn.metrics.{metric_fn}` on the fifth, and average."
        f"{extra}"
    )


RANDOM_WHY = (
    "The rows are independent {rows} with no time order or groups that a model could"
    " exploit, so the test set is a random {share} of them, as new {rows} would come."
)


def linear_baseline(
    spec: Spec,
    *,
    numeric: Sequence[str] = (),
    categorical: Sequence[str] = (),
    log: bool = False,
    why: str,
) -> CodeContender:
    """A linear regression on a few columns, on the raw or the log scale of the target."""
    columns = ", ".join([*numeric, *categorical])
    scale = "log(" + spec.target + ")" if log else spec.target
    return model_baseline(
        spec,
        name=f"baseline: linear regression of {scale} on {columns}",
        model=LOG_MODEL if log else "LinearRegression()",
        imports=LOG_LINEAR if log else LINEAR,
        numeric=numeric,
        categorical=categorical,
        explanation=why,
    )


def regression_project(
    data: Prepared,
    brief: Brief,
    *,
    baseline: CodeContender,
    reference: CodeContender,
    log: bool = False,
) -> Project:
    """The baseline and reference snippets and the regression field (log scale when `log`)."""
    return data.project(
        brief=brief,
        baseline=baseline,
        reference=reference,
        field=regression_field(len(data.train), log=log),
    )


def _sample(df: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """A fixed random subset, back in source order: keeps every pipeline cheap."""
    return df.sample(n=n, random_state=seed).sort_index()


SARATOGA_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

features = [c for c in test.columns if c != "id"]
categorical = ["heating", "fuel", "sewer", "waterfront", "newConstruction", "centralAir"]
preprocess = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical),
    remainder="passthrough",
)
# many deep trees, each split choosing among half of the columns
forest = RandomForestRegressor(
    n_estimators=300, max_features=0.5, min_samples_leaf=2, random_state=0, n_jobs=1
)
model = make_pipeline(preprocess, forest)
model.fit(train[features], train["price"])

submission = pd.DataFrame({"id": test["id"], "price": model.predict(test[features])})
"""


@recipe(
    "saratoga-houses",
    title="House prices in Saratoga County",
    task="regression",
    metric="mae",
    level=1,
    skills=("baselines", "linear-models", "feature-engineering", "ensembles"),
    apply_elsewhere=("ames-housing", "wage"),
    summary="Predict the price of a house in upstate New York from its size, age, land value"
    " and a few amenities.",
    gold_margin=500.0,
    version="1",
)
def saratoga_houses() -> Project:
    df = rdata("mosaicData", "SaratogaHouses")
    data = supervised(with_ids(df), metric="mae", target="price", test_size=0.4, seed=41)
    brief = Brief(
        source="R package mosaicData, data set `SaratogaHouses` (houses sold in Saratoga"
        " County, New York, in 2006; collected by Candice Corvetti, De Veaux 2006).",
        about="1728 houses: the lot, the building, the rooms, the heating and sewer, and"
        " the assessed value of the land alone.",
        target="`price`: the sale price in US dollars.",
        metric_why="Mean absolute error in dollars: what a buyer would read, and not"
        " dominated by the few mansions.",
        columns={
            "lotSize": "size of the lot in acres",
            "age": "age of the house in years",
            "landValue": "assessed value of the land alone, in dollars",
            "livingArea": "living area in square feet",
            "pctCollege": "percentage of the neighbourhood with a college degree",
            "bedrooms": "number of bedrooms",
            "fireplaces": "number of fireplaces",
            "bathrooms": "number of bathrooms (a half bathroom counts 0.5)",
            "rooms": "number of rooms",
            "heating": "heating system: hot air, hot water/steam or electric",
            "fuel": "heating fuel: gas, electric or oil",
            "sewer": "septic, public/commercial or none",
            "waterfront": "on the waterfront (Yes/No)",
            "newConstruction": "newly built (Yes/No)",
            "centralAir": "has central air conditioning (Yes/No)",
        },
        pitfalls=(
            "Rooms, bedrooms and bathrooms grow with the living area: in a linear model"
            " their coefficients change sign as you add each other; read them together.",
            "`landValue` is an assessment of the plot: it carries the location, which no"
            " other column does. Do not drop it as 'not about the house'.",
            "A few large, expensive houses have huge errors; mean absolute error is not"
            " dominated by them, so fitting for squared error is not quite what is scored.",
        ),
        validation=kfold_validation("mean_absolute_error"),
        split_why=RANDOM_WHY.format(rows="house sales", share="40%"),
    )
    baseline = linear_baseline(
        data.spec,
        numeric=("livingArea",),
        why="Linear regression on the living area alone: the land value (the location),"
        " the bathrooms and the age are the obvious next features.",
    )
    reference = CodeContender(
        "reference: random forest on every column",
        SARATOGA_REFERENCE,
        "A random forest on all columns, categories coded as integers: it finds the"
        " interactions between size, land value and amenities by itself.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference)


DIAMONDS_REFERENCE = """\
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

# the three grades are ordered: code them in order, worst first
grades = {
    "cut": ["Fair", "Good", "Very Good", "Premium", "Ideal"],
    "color": ["J", "I", "H", "G", "F", "E", "D"],
    "clarity": ["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"],
}
features = [c for c in test.columns if c != "id"]
preprocess = make_column_transformer(
    (OrdinalEncoder(categories=list(grades.values())), list(grades)),
    remainder="passthrough",
)
# fit on log(price): the metric judges relative errors
model = TransformedTargetRegressor(
    make_pipeline(preprocess, HistGradientBoostingRegressor(random_state=0)),
    func=np.log,
    inverse_func=np.exp,
)
model.fit(train[features], train["price"])

submission = pd.DataFrame({"id": test["id"], "price": model.predict(test[features])})
"""


@recipe(
    "diamonds",
    title="Price a diamond",
    task="regression",
    metric="rmsle",
    level=1,
    skills=("skewed-targets", "categorical-encoding", "trees"),
    apply_elsewhere=("ames-housing", "cps-wages"),
    summary="Predict the price of a diamond from its carat, cut, colour, clarity and size.",
    gold_margin=0.005,
    version="2",
)
def diamonds() -> Project:
    df = _sample(rdata("ggplot2", "diamonds"), 6000, seed=43)
    data = supervised(
        with_ids(df), metric="rmsle", target="price", test_size=0.3, seed=43, clip_min=0.0
    )
    brief = Brief(
        source="R package ggplot2, data set `diamonds` (6000 of its 53,940 diamonds).",
        about="Round-cut diamonds with the 4 Cs (carat, cut, colour, clarity) and their"
        " measured proportions. Prices range from a few hundred to almost 19,000 dollars.",
        target="`price`: the price in US dollars.",
        metric_why="Root mean squared log error judges relative errors: 100 dollars off a"
        " 500-dollar stone is as bad as 2000 off a 10,000-dollar one.",
        columns={
            "carat": "weight (1 carat = 0.2 g)",
            "cut": "quality of the cut: Fair, Good, Very Good, Premium, Ideal (best)",
            "color": "colour grade: D (best, colourless) to J (worst)",
            "clarity": "I1 (worst), SI2, SI1, VS2, VS1, VVS2, VVS1, IF (best)",
            "depth": "total depth percentage: z / mean(x, y)",
            "table": "width of the top relative to the widest point, in percent",
            "x": "length in mm",
            "y": "width in mm",
            "z": "depth in mm",
        },
        pitfalls=(
            "A linear model on the raw price predicts negative prices for small stones;"
            " RMSLE clips them to zero and punishes them enormously. Model log(price).",
            "Cut, colour and clarity are ordered grades: one-hot coding throws the order"
            " away, alphabetical integer codes scramble it (D is the best colour).",
            "Price grows faster than linearly with carat, and jumps at round weights"
            " (1.0, 1.5, 2.0 carats): log(carat) is far more linear than carat.",
            "A few rows have x, y or z equal to 0: a measurement is missing, not a flat diamond.",
        ),
        validation=kfold_validation("root_mean_squared_log_error"),
        split_why=RANDOM_WHY.format(rows="diamonds", share="30%"),
    )
    baseline = linear_baseline(
        data.spec,
        numeric=("carat",),
        log=True,
        why="Linear regression of log(price) on carat alone: cut, colour and clarity, and"
        " log(carat), are your first improvements.",
    )
    reference = CodeContender(
        "reference: gradient boosting on log(price), grades in order",
        DIAMONDS_REFERENCE,
        "Gradient-boosted trees fit to log(price) on every column, the three grades coded"
        " in their natural order.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference, log=True)


WAGE_REFERENCE = """\
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, SplineTransformer

categorical = ["maritl", "race", "education", "jobclass", "health", "health_ins"]
preprocess = make_column_transformer(
    (SplineTransformer(n_knots=5, degree=3), ["age"]),  # wages rise, then level off
    ("passthrough", ["year"]),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
# a penalized linear model of log(wage); alpha chosen by leave-one-out on train
model = TransformedTargetRegressor(
    make_pipeline(preprocess, RidgeCV(alphas=np.logspace(-2, 3, 11))),
    func=np.log,
    inverse_func=np.exp,
)
model.fit(train, train["wage"])

submission = pd.DataFrame({"id": test["id"], "wage": model.predict(test)})
"""


@recipe(
    "wage",
    title="Wages in the Mid-Atlantic",
    task="regression",
    metric="rmsle",
    level=2,
    skills=("categorical-encoding", "linear-models", "regularization", "skewed-targets"),
    apply_elsewhere=("cps-wages", "saratoga-houses"),
    summary="Predict a worker's wage from age, education, job class and health.",
    gold_margin=0.005,
    version="2",
)
def wage() -> Project:
    df = rdata("ISLR", "Wage").drop(columns=["region"])
    data = supervised(
        with_ids(df),
        metric="rmsle",
        target="wage",
        test_size=0.45,
        seed=47,
        hidden=("logwage",),
        clip_min=0.0,
    )
    brief = Brief(
        source="R package ISLR, data set `Wage` (March 2011 Supplement to the Current"
        " Population Survey, Mid-Atlantic region).",
        about="3000 male workers in the Mid-Atlantic region of the US, 2003-2009. The log"
        " wage column was removed from both files (it is the answer).",
        target="`wage`: the worker's raw wage, in thousands of dollars.",
        metric_why="RMSLE judges relative errors, as economists model wages on the log"
        " scale: a few very high earners would dominate a squared error in dollars.",
        columns={
            "year": "year the wage was recorded (2003-2009)",
            "age": "age in years",
            "maritl": "marital status",
            "race": "race",
            "education": "highest education level, from < HS Grad to Advanced Degree",
            "jobclass": "industrial or information",
            "health": "self-reported health: <=Good or >=Very Good",
            "health_ins": "has health insurance",
        },
        pitfalls=(
            "About 3% of the workers earn far more than the rest (a separate cluster"
            " above 250): on the raw scale they dominate the fit. Model log(wage).",
            "Wages rise with age and level off after 50: a straight line in age misses"
            " both ends; use splines or age bands.",
            "`education` is ordered; its level labels start with a number (1. < HS Grad"
            " ... 5. Advanced Degree), so sorting them as text keeps the order.",
        ),
        validation=kfold_validation("root_mean_squared_log_error"),
        split_why=RANDOM_WHY.format(rows="survey answers", share="45%")
        + " The test share is large because the data are few and noisy: the private"
        " split needs enough rows to tell skill from luck.",
    )
    baseline = linear_baseline(
        data.spec,
        numeric=("age",),
        categorical=("jobclass", "health_ins"),
        why="Linear regression of the raw wage on age, job class and health insurance;"
        " education, the strongest predictor, is not used yet.",
    )
    reference = CodeContender(
        "reference: ridge on log(wage), splines of age",
        WAGE_REFERENCE,
        "A ridge regression of log(wage) on one-hot categories and a spline of age.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference, log=True)


CONCRETE_REFERENCE = """\
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, KFold


def features(df):
    binder = df["cement"] + df["blast_furnace_slag"] + df["fly_ash"]
    return df.drop(columns=["id"]).assign(
        water_cement=df["water"] / df["cement"],
        water_binder=df["water"] / binder,
        log_age=np.log(df["age"]),
    )


X, X_test = features(train.drop(columns=["compressive_strength"])), features(test)
boosting = HistGradientBoostingRegressor(max_iter=500, random_state=0)
grid = {"learning_rate": [0.05, 0.1], "max_leaf_nodes": [15, 31]}
model = GridSearchCV(boosting, grid, cv=KFold(3, shuffle=True, random_state=0),
                     scoring="neg_root_mean_squared_error", n_jobs=1)
model.fit(X, train["compressive_strength"])

submission = pd.DataFrame({"id": test["id"], "compressive_strength": model.predict(X_test)})
"""


@recipe(
    "concrete",
    title="Concrete compressive strength",
    task="regression",
    metric="rmse",
    level=2,
    skills=("feature-engineering", "ensembles", "gradient-boosting"),
    apply_elsewhere=("ames-housing", "hotel-rates"),
    summary="Predict how strong a concrete mix gets from its ingredients and its age.",
    gold_margin=0.2,
    version="2",
)
def concrete() -> Project:
    df = rdata("modeldata", "concrete")
    data = supervised(
        with_ids(df), metric="rmse", target="compressive_strength", test_size=0.45, seed=53
    )
    brief = Brief(
        source="R package modeldata, data set `concrete` (Yeh 1998, UCI Concrete"
        " Compressive Strength).",
        about="1030 laboratory tests of concrete mixes: kilograms of each ingredient per"
        " cubic metre, and the age of the sample when it was tested. The relation is"
        " strongly nonlinear (strength grows with age, then levels off).",
        target="`compressive_strength`: strength in megapascals.",
        metric_why="RMSE in megapascals: a structural engineer cares about large errors.",
        columns={
            "cement": "Portland cement, kg per m3 of mix",
            "blast_furnace_slag": "blast furnace slag (a cement substitute), kg/m3",
            "fly_ash": "fly ash (a cement substitute), kg/m3",
            "water": "water, kg/m3",
            "superplasticizer": "superplasticizer (lets the mix use less water), kg/m3",
            "coarse_aggregate": "gravel, kg/m3",
            "fine_aggregate": "sand, kg/m3",
            "age": "days since casting when the sample was crushed (1 to 365)",
        },
        pitfalls=(
            "Engineers know strength is driven by the water-to-cement ratio (Abrams' law),"
            " not by water and cement separately: ratios are features a model cannot"
            " easily build by itself.",
            "Strength grows fast in the first weeks and then levels off: age enters on a"
            " log scale, or as a few bands.",
            "Zero is a real amount here: most mixes have no fly ash, slag or"
            " superplasticizer at all. Do not treat the zeros as missing values.",
        ),
        validation=kfold_validation("root_mean_squared_error"),
        split_why=RANDOM_WHY.format(rows="laboratory tests", share="45%")
        + " The test share is large because the data are few: the private split needs"
        " 300 rows or more to tell skill from luck.",
    )
    baseline = linear_baseline(
        data.spec,
        numeric=("cement", "water"),
        why="Linear regression on cement and water; the age of the sample is missing.",
    )
    reference = CodeContender(
        "reference: gradient boosting with water/cement ratios and log(age), tuned",
        CONCRETE_REFERENCE,
        "Gradient boosting on the ingredients plus the water-to-cement and water-to-binder"
        " ratios and log(age), with a small grid search on 3 folds of train.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference)


CPS_REFERENCE = """\
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

numeric = ["education", "experience"]
categorical = ["ethnicity", "smsa", "region", "parttime"]
preprocess = make_column_transformer(
    ("passthrough", numeric),
    (OrdinalEncoder(), categorical),
)
boosting = HistGradientBoostingRegressor(
    learning_rate=0.05,
    max_iter=300,
    min_samples_leaf=50,
    categorical_features=[2, 3, 4, 5],  # the columns after the two numeric ones
    random_state=0,
)
# fit on log(wage): the metric judges relative errors
model = TransformedTargetRegressor(
    make_pipeline(preprocess, boosting), func=np.log, inverse_func=np.exp
)
model.fit(train[numeric + categorical], train["wage"])

submission = pd.DataFrame({"id": test["id"], "wage": model.predict(test[numeric + categorical])})
"""


@recipe(
    "cps-wages",
    title="Wages in the 1988 Current Population Survey",
    task="regression",
    metric="rmsle",
    level=2,
    skills=("skewed-targets", "linear-models", "categorical-encoding"),
    apply_elsewhere=("wage", "diamonds"),
    summary="Predict weekly wages from education and experience: the classic Mincer equation.",
    gold_margin=0.005,
    version="2",
)
def cps_wages() -> Project:
    df = rdata("AER", "CPS1988")
    data = supervised(
        with_ids(df), metric="rmsle", target="wage", test_size=0.3, seed=59, clip_min=0.0
    )
    brief = Brief(
        source="R package AER, data set `CPS1988` (US Current Population Survey, March"
        " 1988; Bierens and Ginther 2001).",
        about="28,155 men aged 18 to 70 with positive earnings, not self-employed: years of"
        " education and of potential experience, ethnicity, city or not, region, part time.",
        target="`wage`: weekly wage in dollars (deflated to 1992 dollars).",
        metric_why="RMSLE judges relative errors, as economists model wages on the log scale.",
        columns={
            "education": "years of education",
            "experience": "years of potential work experience (age - education - 6)",
            "ethnicity": "cauc or afam",
            "smsa": "lives in a metropolitan area (yes/no)",
            "region": "northeast, midwest, south, west",
            "parttime": "works part time (yes/no)",
        },
        pitfalls=(
            "Wages are skewed: a linear model of the raw wage is pulled by the high"
            " earners and predicts badly in relative terms. Model log(wage).",
            "Experience raises wages fast at first and then flattens (even declines):"
            " add experience squared, as Mincer did, or let a tree find the curve.",
            "Part-time workers earn far less per week: leaving `parttime` out costs more"
            " than any clever feature gains.",
        ),
        validation=kfold_validation("root_mean_squared_log_error"),
        split_why=RANDOM_WHY.format(rows="survey answers", share="30%"),
    )
    baseline = linear_baseline(
        data.spec,
        numeric=("education", "experience"),
        log=True,
        why="Linear regression of log(wage) on education and experience: the Mincer"
        " equation without its curve in experience and without the other columns.",
    )
    reference = CodeContender(
        "reference: gradient boosting on log(wage)",
        CPS_REFERENCE,
        "Gradient boosting on log(wage), with the categories handled natively.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference, log=True)
