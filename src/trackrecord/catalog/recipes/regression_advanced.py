"""Regression projects, levels 3-4: many columns, counts, and prices that follow the calendar."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.model import Brief, Project, SplitInfo
from trackrecord.catalog.prepare import assemble, rdata, supervised
from trackrecord.catalog.recipes.regression import (
    RANDOM_WHY,
    kfold_validation,
    linear_baseline,
    regression_project,
)
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

AMES_COLUMNS: Mapping[str, str] = {
    "MS_SubClass": "type of dwelling (storeys, age, PUD)",
    "MS_Zoning": "zoning class of the sale",
    "Lot_Frontage": "feet of street connected to the lot (0: none recorded)",
    "Lot_Area": "lot size in square feet",
    "Street": "road access: paved or gravel",
    "Alley": "alley access (No_Alley_Access when none)",
    "Lot_Shape": "regular to irregular",
    "Land_Contour": "flatness: level, banked, hillside, depression",
    "Utilities": "utilities available",
    "Lot_Config": "inside, corner, cul-de-sac, frontage on 2 or 3 sides",
    "Land_Slope": "gentle, moderate or severe slope",
    "Neighborhood": "location within Ames",
    "Condition_1": "proximity to a main road, railroad or park",
    "Condition_2": "a second such proximity, if any",
    "Bldg_Type": "single-family, townhouse, duplex, ...",
    "House_Style": "storeys and finish",
    "Overall_Cond": "overall condition, Very_Poor to Very_Excellent",
    "Year_Built": "original construction year",
    "Year_Remod_Add": "year of remodelling (the construction year if none)",
    "Roof_Style": "gable, hip, flat, ...",
    "Roof_Matl": "roof material",
    "Exterior_1st": "exterior covering",
    "Exterior_2nd": "second exterior covering, if any",
    "Mas_Vnr_Type": "masonry veneer type",
    "Mas_Vnr_Area": "masonry veneer area in square feet",
    "Exter_Cond": "condition of the exterior material",
    "Foundation": "foundation type",
    "Bsmt_Cond": "general condition of the basement (No_Basement when none)",
    "Bsmt_Exposure": "walkout or garden-level basement walls",
    "BsmtFin_Type_1": "quality of the main finished basement area",
    "BsmtFin_SF_1": "a coded rating of the first finished basement area (0-7)",
    "BsmtFin_Type_2": "quality of a second finished basement area",
    "BsmtFin_SF_2": "second finished basement area in square feet",
    "Bsmt_Unf_SF": "unfinished basement area in square feet",
    "Total_Bsmt_SF": "total basement area in square feet",
    "Heating": "type of heating",
    "Heating_QC": "heating quality and condition",
    "Central_Air": "central air conditioning (Y/N)",
    "Electrical": "electrical system",
    "First_Flr_SF": "first floor area in square feet",
    "Second_Flr_SF": "second floor area in square feet",
    "Gr_Liv_Area": "above-ground living area in square feet",
    "Bsmt_Full_Bath": "full bathrooms in the basement",
    "Bsmt_Half_Bath": "half bathrooms in the basement",
    "Full_Bath": "full bathrooms above ground",
    "Half_Bath": "half bathrooms above ground",
    "Bedroom_AbvGr": "bedrooms above ground",
    "Kitchen_AbvGr": "kitchens above ground",
    "TotRms_AbvGrd": "rooms above ground, bathrooms excluded",
    "Functional": "home functionality (Typ unless deductions)",
    "Fireplaces": "number of fireplaces",
    "Garage_Type": "garage location (No_Garage when none)",
    "Garage_Finish": "interior finish of the garage",
    "Garage_Cars": "garage size in cars",
    "Garage_Area": "garage area in square feet",
    "Garage_Cond": "garage condition",
    "Paved_Drive": "paved, partial or dirt driveway",
    "Wood_Deck_SF": "wood deck area in square feet",
    "Open_Porch_SF": "open porch area in square feet",
    "Enclosed_Porch": "enclosed porch area in square feet",
    "Three_season_porch": "three-season porch area in square feet",
    "Screen_Porch": "screen porch area in square feet",
    "Pool_Area": "pool area in square feet",
    "Pool_QC": "pool quality (No_Pool when none)",
    "Fence": "fence quality (No_Fence when none)",
    "Misc_Feature": "another feature: shed, second garage, elevator, ...",
    "Misc_Val": "dollar value of that feature",
    "Mo_Sold": "month of the sale",
    "Year_Sold": "year of the sale (2006-2010)",
    "Sale_Type": "warranty deed, new, court officer deed, ...",
    "Sale_Condition": "normal, abnormal (e.g. foreclosure), partial (new house), family, ...",
}

AMES_REFERENCE = """\
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

features = [c for c in test.columns if c != "id"]
categorical = list(train[features].select_dtypes(exclude="number").columns)
preprocess = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical),
    remainder="passthrough",
)
boosting = HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, random_state=0)
# fit on log(price): the metric judges relative errors
model = TransformedTargetRegressor(
    make_pipeline(preprocess, boosting), func=np.log, inverse_func=np.exp
)
model.fit(train[features], train["Sale_Price"])

submission = pd.DataFrame({"id": test["id"], "Sale_Price": model.predict(test[features])})
"""


@recipe(
    "ames-housing",
    title="House prices in Ames, Iowa",
    task="regression",
    metric="rmsle",
    level=3,
    skills=("feature-engineering", "categorical-encoding", "skewed-targets", "gradient-boosting"),
    apply_elsewhere=("diamonds", "concrete", "saratoga-houses"),
    summary="Price houses sold in Ames, Iowa from 70 descriptions of the lot, the building"
    " and the sale.",
    gold_margin=0.004,
    version="2",
)
def ames_housing() -> Project:
    df = rdata("modeldata", "ames").drop(columns=["Longitude", "Latitude"])
    data = supervised(
        with_ids(df), metric="rmsle", target="Sale_Price", test_size=0.3, seed=61, clip_min=0.0
    )
    brief = Brief(
        source="R package modeldata, data set `ames` (De Cock 2011, Ames Iowa Assessor's Office).",
        about="2930 residential sales in Ames, Iowa, 2006-2010, with 70 columns about the"
        " property. Missing features are coded as levels such as `No_Garage`.",
        target="`Sale_Price`: the sale price in dollars.",
        metric_why="RMSLE makes a 10% miss on a cheap house as bad as on an expensive one,"
        " as in the Kaggle competition on the same data.",
        columns=AMES_COLUMNS,
        pitfalls=(
            "Prices are skewed: fit log(price), or the expensive houses dominate the fit"
            " while the metric weighs every house alike.",
            "`No_Garage`, `No_Basement`, `No_Pool` are levels, not missing values; a"
            " garage area of 0 says the same thing. Treat them consistently.",
            "A few very large houses sold cheaply (partial sales of new houses,"
            " `Sale_Condition`): a linear model bends towards them.",
            "Many rare levels (`Roof_Matl`, `Condition_2`, some neighbourhoods) appear in"
            " only a handful of rows: group them, or let a tree ignore them.",
        ),
        validation=kfold_validation(
            "root_mean_squared_log_error",
            " Fit every encoder and imputer inside the folds (a `Pipeline`).",
        ),
        split_why=RANDOM_WHY.format(rows="house sales", share="30%")
        + " The sales span only 2006-2010 and the task is to value a house, not to"
        " forecast the market, so the sale date is a feature rather than a time axis.",
    )
    baseline = linear_baseline(
        data.spec,
        numeric=("Gr_Liv_Area", "Year_Built"),
        why="Linear regression of the raw price on living area and year built.",
    )
    reference = CodeContender(
        "reference: gradient boosting on log(price)",
        AMES_REFERENCE,
        "Gradient boosting on every column fit to log(price), categories coded as integers.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference, log=True)


DOCTOR_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

numeric = ["age", "income", "illness", "reduced", "health"]
categorical = ["gender", "private", "freepoor", "freerepat", "nchronic", "lchronic"]
preprocess = make_column_transformer(
    ("passthrough", numeric),
    (OrdinalEncoder(), categorical),
)
# a Poisson loss predicts a positive mean count; slow learning, large leaves: noisy data
boosting = HistGradientBoostingRegressor(
    loss="poisson", learning_rate=0.03, max_iter=300, min_samples_leaf=50, random_state=0
)
# how complex may each tree be? 5 folds of train decide (small trees win here)
grid = {"histgradientboostingregressor__max_leaf_nodes": [3, 7, 15]}
folds = KFold(5, shuffle=True, random_state=0)
model = GridSearchCV(
    make_pipeline(preprocess, boosting), grid, cv=folds,
    scoring="neg_mean_poisson_deviance", n_jobs=1,
)
model.fit(train[numeric + categorical], train["visits"])

submission = pd.DataFrame({"id": test["id"], "visits": model.predict(test[numeric + categorical])})
"""


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
    version="2",
)
def doctor_visits() -> Project:
    data = supervised(
        with_ids(rdata("AER", "DoctorVisits")),
        metric="poisson_deviance",
        target="visits",
        test_size=0.45,
        seed=67,
        clip_min=0.001,
    )
    brief = Brief(
        source="R package AER, data set `DoctorVisits` (Australian Health Survey 1977-78;"
        " Cameron and Trivedi 1998).",
        about="5190 adults: sex, age, income, illnesses and days of reduced activity in"
        " the last two weeks, a health questionnaire score and their insurance. Four in"
        " five made no visit at all.",
        target="`visits`: number of doctor consultations in the past two weeks (0 to 9).",
        metric_why="Mean Poisson deviance is the natural loss for counts: it expects"
        " strictly positive predictions and judges them on the scale of the count.",
        columns={
            "gender": "male or female",
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
        pitfalls=(
            "A prediction of 0 is infinitely wrong under Poisson deviance whenever the"
            " person did visit: predict a mean count, always above zero.",
            "Four in five rows are 0: the median (0) is the worst possible constant; the"
            " mean count is the best one.",
            "The signal is weak and the counts noisy: deep trees overfit fast. Use a"
            " Poisson loss with small trees (few leaves), or a penalized Poisson regression.",
        ),
        validation=kfold_validation(
            "mean_poisson_deviance",
            " The score varies a lot between folds: compare models on the same folds.",
        ),
        split_why=RANDOM_WHY.format(rows="survey answers", share="45%")
        + " The test share is large because the counts are noisy: the private split"
        " needs many rows to tell skill from luck.",
    )
    baseline = model_baseline(
        data.spec,
        name="baseline: Poisson regression on reduced",
        model="PoissonRegressor()",
        imports="from sklearn.linear_model import PoissonRegressor",
        numeric=("reduced",),
        explanation="A Poisson regression on the days of reduced activity alone: illnesses,"
        " health and insurance are not used yet.",
    )
    reference = CodeContender(
        "reference: gradient boosting with a Poisson loss, tree size tuned",
        DOCTOR_REFERENCE,
        "Slow gradient boosting with a Poisson loss on every column; the size of the trees"
        " is chosen by 5-fold cross-validation on train.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference)


HOTEL_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder


def calendar(df):
    # the season, not the date itself: test dates never occur in train
    date = pd.to_datetime(df["arrival_date"])
    return df.drop(columns=["id", "arrival_date", "arrival_date_num"]).assign(
        week=date.dt.isocalendar().week.astype(int),
        month=date.dt.month,
        weekday=date.dt.day_of_week,
        nights=df["stays_in_weekend_nights"] + df["stays_in_week_nights"],
    )


X, X_test = calendar(train.drop(columns=["avg_price_per_room"])), calendar(test)
categorical = list(X.select_dtypes(exclude="number").columns)
encode = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, min_frequency=5)
preprocess = make_column_transformer((encode, categorical), remainder="passthrough")
boosting = HistGradientBoostingRegressor(
    loss="absolute_error",
    max_iter=300,
    max_leaf_nodes=31,
    categorical_features=list(range(len(categorical))),
    random_state=0,
)
model = make_pipeline(preprocess, boosting)
model.fit(X, train["avg_price_per_room"])

submission = pd.DataFrame({"id": test["id"], "avg_price_per_room": model.predict(X_test)})
"""

HOTEL_COLUMNS: Mapping[str, str] = {
    "lead_time": "days between booking and arrival",
    "stays_in_weekend_nights": "nights booked on Saturday or Sunday",
    "stays_in_week_nights": "nights booked Monday to Friday",
    "adults": "number of adults",
    "children": "number of children",
    "babies": "number of babies",
    "meal": "meal plan booked",
    "country": "country of origin (ISO code)",
    "market_segment": "sales segment",
    "distribution_channel": "booking channel (travel agent, direct, corporate)",
    "is_repeated_guest": "1 if the guest stayed before",
    "previous_cancellations": "bookings this guest cancelled before",
    "previous_bookings_not_canceled": "bookings this guest kept before",
    "reserved_room_type": "room type booked (coded)",
    "assigned_room_type": "room type given at check-in (coded)",
    "booking_changes": "changes made to the booking",
    "agent": "booking agent (anonymised name)",
    "company": "company that paid (not_applicable when none)",
    "days_in_waiting_list": "days the booking waited before it was confirmed",
    "customer_type": "transient, contract, group, ...",
    "required_car_parking_spaces": "parking spaces requested",
    "total_of_special_requests": "special requests made",
    "arrival_date": "date of arrival (YYYY-MM-DD)",
    "arrival_date_num": "arrival date as a decimal year (2016.5 is early July 2016)",
    "near_christmas": "1 if the stay is near Christmas",
    "near_new_years": "1 if the stay is near New Year",
    "historical_adr": "the hotel's average daily rate in the same week of earlier years",
}
HOTEL_CUT = "2017-04-15"  # arrivals from this date on are the test set


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
    apply_elsewhere=("doctor-visits", "ames-housing", "concrete"),
    summary="Predict the average daily price of a hotel booking from the stay, the guests and"
    " the sales channel.",
    gold_margin=0.5,
    version="2",
)
def hotel_rates() -> Project:
    df = rdata("modeldata", "hotel_rates").sample(n=7000, random_state=71).sort_index()
    df = df.assign(arrival_date=pd.to_datetime(df["arrival_date"]).dt.strftime("%Y-%m-%d"))
    df = with_ids(df)
    later = df["arrival_date"] >= HOTEL_CUT
    test = df[later].sort_values(["arrival_date", splits.ID])
    split = splits.Split(df[~later].sort_values(splits.ID), test)
    data = assemble(
        split,
        splits.usage(test, seed=71, ordered=True),
        metric="mae",
        target="avg_price_per_room",
        split_info=SplitInfo("time", "arrival_date"),
    )
    brief = Brief(
        source="R package modeldata, data set `hotel_rates` (Antonio, de Almeida and Nunes"
        " 2019, a resort hotel in Portugal). 7000 of its 15,402 bookings.",
        about="Bookings that were not cancelled, arriving from July 2016 to August 2017:"
        " the stay, the guests, the room type, the booking agent and company, the sales"
        " channel and the arrival date.",
        target="`avg_price_per_room`: average daily rate in euros.",
        metric_why="Mean absolute error in euros: what a revenue manager would read.",
        columns=HOTEL_COLUMNS,
        pitfalls=(
            "Every test date lies after every training date: the date itself (as a"
            " category or a number) says nothing about a day never seen. Use the season"
            " (week of the year, month, weekday) and `historical_adr`.",
            "The test period runs into the summer peak, when rooms cost two or three"
            " times the winter price; the public part is April-May, the private part"
            " the summer, so the public score is far lower than the private one.",
            "Prices rise from year to year: a tree cannot extrapolate a trend, so a"
            " model that leans on `arrival_date_num` freezes prices at their last level.",
            "Agents and companies have hundreds of rare levels: group the rare ones.",
        ),
        validation="Validate the way the test set was cut: hold out the last months of"
        " train.csv by `arrival_date` (e.g. arrivals from 2017-01-01 on), fit on the earlier"
        " rows only, and print `sklearn.metrics.mean_absolute_error` on the held-out"
        " months. Shuffled k-fold puts the same weeks on both sides and looks far too good.",
        split_why="Prices follow the calendar, so the test set is the future: every booking"
        f" arriving on or after {HOTEL_CUT}, and train holds the arrivals before it. The"
        " public leaderboard scores the earlier 30% of the test arrivals (spring), the"
        " private one the rest (summer).",
    )
    baseline = linear_baseline(
        data.spec,
        numeric=("historical_adr", "adults", "children"),
        why="Linear regression on the historical price of the same week and the number of"
        " guests; the room type, the channel and the length of stay are not used yet.",
    )
    reference = CodeContender(
        "reference: gradient boosting (absolute error), calendar features",
        HOTEL_REFERENCE,
        "Gradient boosting with an absolute-error loss on every column, the arrival date"
        " replaced by its week, month and weekday.",
    )
    return regression_project(data, brief, baseline=baseline, reference=reference)
