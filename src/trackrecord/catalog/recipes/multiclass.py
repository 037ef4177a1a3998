"""Multiclass classification projects."""

from __future__ import annotations

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.fields import classification_field
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

LOGISTIC = "from sklearn.linear_model import LogisticRegression"


def _stratified_validation(metric_call: str) -> str:
    return (
        "Stratified 5-fold cross-validation on train.csv (`StratifiedKFold(5, shuffle=True,"
        " random_state=0)`): the test set was drawn at random, stratified by the target, so"
        f" folds cut the same way estimate the private score. Print `{metric_call}` on each"
        " held-out fold and the mean, tune on those folds, and keep the public board for a"
        " final check."
    )


HPC_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

numeric = ["compounds", "input_fields", "iterations", "num_pending", "hour"]
categorical = ["protocol", "day"]
features = numeric + categorical

# Trees need no scaling and no logs of the skewed sizes: only the order of values counts.
# The protocol and day letters become integer codes.
preprocess = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), categorical),
    ("passthrough", numeric),
)
# class_weight="balanced" weighs each class by 1 / its frequency: the rare long jobs count
# as much as the very fast ones, which is what macro F1 asks for.
booster = HistGradientBoostingClassifier(class_weight="balanced", random_state=0)
model = make_pipeline(preprocess, booster)
model.fit(train[features], train["class"])

submission = pd.DataFrame({"id": test["id"]})
submission["class"] = model.predict(test[features])
"""


@recipe(
    "hpc-jobs",
    title="How long will this compute job run?",
    task="multiclass-classification",
    metric="macro_f1",
    level=3,
    skills=("multiclass", "imbalanced-data", "gradient-boosting", "cross-validation"),
    apply_elsewhere=("chile-vote",),
    summary="Sort jobs on a high-performance computing cluster into very fast, fast, medium"
    " and long, so a scheduler can plan.",
    gold_margin=0.01,
    version="2",
)
def hpc_jobs() -> Project:
    df = with_ids(rdata("modeldata", "hpc_data"))
    data = supervised(df, metric="macro_f1", target="class", test_size=0.3, seed=21, stratify=True)
    return data.project(
        brief=Brief(
            source="R package modeldata, data set `hpc_data` (Kuhn and Johnson, Applied"
            " Predictive Modeling, Pfizer's compute cluster).",
            about="4331 jobs submitted to a high-performance computing cluster, with the"
            " protocol, the size of the work and the state of the queue at submission.",
            target="`class`: `VF` (very fast, 51% of jobs), `F` (fast, 31%), `M` (medium,"
            " 12%) or `L` (long, 6%).",
            metric_why="Macro F1 averages the F1 score of each class equally, so the rare long"
            " jobs (6%), the ones that matter to a scheduler, count as much as the common ones.",
            columns={
                "protocol": "the analysis protocol (letters A to O): which computation runs",
                "compounds": "number of compounds to process (skewed: a few jobs have many)",
                "input_fields": "number of input fields (skewed)",
                "iterations": "number of iterations the protocol runs",
                "num_pending": "jobs pending in the queue at submission",
                "hour": "time of day of submission (decimal hours)",
                "day": "day of the week of submission (Mon to Sun)",
            },
            pitfalls=(
                "Long jobs are 6% and medium 12%: a model tuned for accuracy predicts them"
                " rarely and scores a poor macro F1. Weight the classes (`class_weight=`"
                ' "balanced"), or move the decision thresholds.',
                "`compounds` and `input_fields` span several orders of magnitude: a linear or"
                " distance-based model needs their logs; trees do not care.",
                "`protocol` is a category written as a letter: coding A..O as 1..15 invents an"
                " order a linear model will take seriously.",
                "The private split holds about 55 long jobs: the F1 of that class, a quarter"
                " of the score, moves by several points when a handful change. Compare models"
                " on folds, not on the public board.",
            ),
            validation=_stratified_validation("f1_score(y_fold, pred, average='macro')"),
            split_why="The jobs carry no submission date, so no time order can be kept. The"
            " test set is a random 30%, stratified by class so the rare long jobs have the"
            " same share in train, public and private.",
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
        reference=CodeContender(
            "reference: gradient boosting, balanced classes",
            HPC_REFERENCE,
            "Histogram gradient boosting on every column, with class weights that make each"
            " class count equally.",
        ),
        field=classification_field(len(data.train), proba=False),
    )


CHILE_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

numeric = ["population", "age", "income", "statusquo"]
categorical = ["region", "sex", "education"]
features = numeric + categorical

# Income and population are skewed: their logs suit a linear model better.
for frame in (train, test):
    frame["income"] = np.log(frame["income"])
    frame["population"] = np.log(frame["population"])

# Fill the gaps (income is missing for 4% of respondents) with the training median, and
# add a 0/1 column saying a value was missing: not answering may itself say something.
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
     numeric),
    (make_pipeline(SimpleImputer(strategy="most_frequent"),
                   OneHotEncoder(handle_unknown="ignore")), categorical),
)
# class_weight="balanced": macro F1 counts the few abstainers as much as the big camps, so
# the model must not be pushed towards the common answers.
model = make_pipeline(preprocess, LogisticRegression(class_weight="balanced", max_iter=2000))

# A little tuning on train only: the penalty strength, by 3-fold stratified CV on macro F1.
grid = {"logisticregression__C": [0.03, 0.3, 3.0]}
folds = StratifiedKFold(3, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="f1_macro", cv=folds, n_jobs=1)
search.fit(train[features], train["vote"])

submission = pd.DataFrame({"id": test["id"]})
submission["vote"] = search.predict(test[features])
"""


@recipe(
    "chile-vote",
    title="Chile 1988: how will they vote?",
    task="multiclass-classification",
    metric="macro_f1",
    level=3,
    skills=("multiclass", "missing-data", "categorical-encoding", "linear-models"),
    apply_elsewhere=("hpc-jobs", "more-kids", "fishing-mode"),
    summary="Predict a voter's intention in Chile's 1988 plebiscite: yes, no, undecided or"
    " abstain.",
    gold_margin=0.01,
    version="2",
)
def chile_vote() -> Project:
    df = rdata("carData", "Chile").dropna(subset=["vote"])
    data = supervised(
        with_ids(df), metric="macro_f1", target="vote", test_size=0.35, seed=23, stratify=True
    )
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
            pitfalls=(
                "`statusquo` almost settles yes against no; the score is decided by the"
                " undecided (23%) and the abstainers (7%). A model that never predicts them"
                " caps its macro F1 near 0.5.",
                "Values are missing (income for 4%, status quo, education, age for a few):"
                " dropping those rows in train is possible, but test rows with gaps still need"
                " a prediction. Impute, and consider a was-missing flag.",
                "Income and community population are very skewed: take logs before a linear"
                " model, or let trees handle them.",
                "An unweighted classifier favours the big classes: weight the classes or"
                " adjust the decision, and check the F1 of each class separately.",
            ),
            validation=_stratified_validation("f1_score(y_fold, pred, average='macro')"),
            split_why="A one-time survey of independent respondents, with no time order: the"
            " test set is a random 35%, stratified by intention so each answer has the same"
            " share in train, public and private.",
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
        reference=CodeContender(
            "reference: tuned logistic regression, balanced classes",
            CHILE_REFERENCE,
            "Logged and imputed numbers with missing-value flags, one-hot categories, and a"
            " class-balanced logistic regression whose penalty is tuned on macro F1.",
        ),
        field=classification_field(len(data.train), proba=False),
    )


UK_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# The classic finding on these data: attitudes to Europe move a vote mainly for voters who
# know where the parties stand on Europe. A product of the two columns lets a linear model
# say so.
for frame in (train, test):
    frame["europe_x_knowledge"] = frame["Europe"] * frame["political_knowledge"]

numeric = ["age", "economic_cond_national", "economic_cond_household", "Blair", "Hague",
           "Kennedy", "Europe", "political_knowledge", "europe_x_knowledge"]
categorical = ["gender"]
features = numeric + categorical

preprocess = make_column_transformer(
    (StandardScaler(), numeric),
    (OneHotEncoder(handle_unknown="ignore"), categorical),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))

# A little tuning on train only: the penalty strength, by 3-fold stratified CV.
grid = {"logisticregression__C": [0.03, 0.3, 3.0]}
folds = StratifiedKFold(3, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="accuracy", cv=folds, n_jobs=1)
search.fit(train[features], train["vote"])

submission = pd.DataFrame({"id": test["id"]})
submission["vote"] = search.predict(test[features])
"""


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
    version="2",
)
def uk_vote_1997() -> Project:
    df = rdata("carData", "BEPS").rename(columns=lambda c: c.replace(".", "_"))
    data = supervised(
        with_ids(df), metric="accuracy", target="vote", test_size=0.35, seed=29, stratify=True
    )
    return data.project(
        brief=Brief(
            source="R package carData, data set `BEPS` (British Election Panel Study"
            " 1997-2001; Fox, An R Companion to Applied Regression).",
            about="1525 respondents of the British Election Panel Study: their vote in the"
            " 1997 general election, age and gender, how they judge the economy, their"
            " ratings of the three party leaders, their attitude to European integration"
            " and a measure of political knowledge.",
            target="`vote`: `Labour` (47%), `Conservative` (30%) or `Liberal Democrat` (23%).",
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
            pitfalls=(
                "Voting Labour (47%) for everyone already scores 0.47: judge a model by how"
                " far it gets above that, not by its accuracy alone.",
                "The three leader ratings carry most of the signal, and the baseline leaves them"
                " out: they are the first thing to add. They run from 1 to 5 while age runs to"
                " 90: standardize before a penalized or distance-based model.",
                "Attitude to Europe matters mostly for voters who know the parties' positions:"
                " its effect depends on `political_knowledge` (an interaction), which a plain"
                " linear model cannot see.",
                "One private voter is 0.27% of accuracy: gains of a point or less between two"
                " models are within the noise.",
            ),
            validation=_stratified_validation("accuracy_score(y_fold, pred)"),
            split_why="One survey wave of independent respondents, with no time order: the"
            " test set is a random 35%, stratified by vote so each party has the same share in"
            " train, public and private.",
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
        reference=CodeContender(
            "reference: tuned logistic regression, Europe x knowledge",
            UK_REFERENCE,
            "Every column, scaled, plus the product of the Europe attitude and political"
            " knowledge, in a logistic regression whose penalty is tuned by 3-fold CV.",
        ),
        field=classification_field(len(data.train), proba=False),
    )


FISHING_MODES = ("beach", "pier", "boat", "charter")

FISHING_REFERENCE = """\
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler

# Each mode's price and catch rate, and the angler's income.
features = [c for c in test.columns if c != "id"]

# A multinomial logit: each mode's utility is a sum of smooth functions of the prices, the
# catch rates and income. Splines let the effect of a price bend (the first 50 dollars hurt
# more than the next 50) without a hand-made transformation for each column.
model = make_pipeline(
    StandardScaler(),
    SplineTransformer(n_knots=4),
    LogisticRegression(max_iter=5000),
)

# Tune the penalty on log loss, by 5-fold stratified CV on train only: too weak a penalty
# gives over-confident probabilities, which log loss punishes hard.
grid = {"logisticregression__C": [0.3, 1.0, 3.0, 10.0]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="neg_log_loss", cv=folds, n_jobs=1)
search.fit(train[features], train["mode"])

proba = search.predict_proba(test[features])
submission = pd.DataFrame({"id": test["id"]})
for i, mode in enumerate(search.classes_):
    submission[mode] = proba[:, i]
submission = submission[sample.columns]
"""


def _fishing_columns() -> dict[str, str]:
    where = {
        "beach": "fishing from the beach",
        "pier": "fishing from a pier",
        "boat": "fishing from a private boat",
        "charter": "fishing from a charter boat",
    }
    out = {f"p{m}": f"price of a trip for this angler, {w} (US dollars)" for m, w in where.items()}
    out |= {
        f"c{m}": f"expected catch rate for this angler, {w} (higher: more fish)"
        for m, w in where.items()
    }
    out["income"] = "the angler's monthly income (US dollars)"
    return out


@recipe(
    "fishing-mode",
    title="Beach, pier, boat or charter? How anglers go fishing",
    task="multiclass-classification",
    metric="log_loss",
    level=5,
    skills=("discrete-choice", "feature-engineering", "probability-calibration", "multiclass"),
    apply_elsewhere=("more-kids", "chile-vote"),
    summary="Each angler chose one of four ways to fish, each with its own price and catch"
    " rate: predict the probability of each choice.",
    gold_margin=0.01,
    version="1",
)
def fishing_mode() -> Project:
    # `price` and `catch` repeat the chosen mode's price and catch rate: they would give the
    # answer away, so only the per-mode columns stay.
    df = rdata("Ecdat", "Fishing").drop(columns=["price", "catch"])
    data = supervised(
        with_ids(df), metric="log_loss", target="mode", test_size=0.5, seed=31, stratify=True
    )
    return data.project(
        brief=Brief(
            source="R package Ecdat, data set `Fishing` (Herriges and Kling 1999, Nonlinear"
            " income effects in random utility models, Review of Economics and Statistics;"
            " Cameron and Trivedi, Microeconometrics, chapter 15).",
            about="1182 recreational anglers in Southern California, each of whom chose one of"
            " four ways to fish on a trip: from the beach, from a pier, on a private boat or"
            " on a charter boat. For each angler the data give the price of a trip and the"
            " expected catch rate of every mode, chosen or not, and the angler's income.",
            target="`mode`: `beach`, `pier`, `boat` or `charter`. Submit one probability per"
            " mode, in columns named `beach`, `boat`, `charter` and `pier`.",
            metric_why="Log loss scores the whole probability distribution: a planner"
            " forecasting how many anglers each mode will draw needs calibrated shares, not a"
            " single guess.",
            columns=_fishing_columns(),
            pitfalls=(
                "The price of a beach trip equals that of a pier trip for every angler (the"
                " same travel cost): prices cannot tell beach from pier, only catch rates and"
                " income can.",
                "What matters is how a mode compares with the others (charter against boat),"
                " not its price alone: differences or ratios of the per-mode columns, or a"
                " model that can build them, beat raw columns.",
                "Prices are skewed (most trips under 100 dollars, some over 600) and their"
                " effect bends: a straight line in price misfits both ends.",
                "Log loss punishes confident mistakes without limit: a deep tree that gives a"
                " mode probability 0 scores worse than the class-frequency constant. Keep"
                " probabilities away from 0 and 1.",
            ),
            validation=_stratified_validation("log_loss(y_fold, proba, labels=model.classes_)")
            + " Compare with the class-frequency constant's log loss on the same folds.",
            split_why="Each angler was surveyed once, with no time order and no groups: the"
            " test set is a random half, stratified by mode, so that the private split holds"
            " over 400 anglers and the noise in log loss stays well below the medal gaps.",
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on the four prices",
            model="LogisticRegression(max_iter=1000)",
            imports=LOGISTIC,
            numeric=tuple(f"p{m}" for m in FISHING_MODES),
            explanation="Multinomial logistic regression on the four prices only; catch rates"
            " and income are left for you.",
        ),
        reference=CodeContender(
            "reference: multinomial logit on splines, tuned on log loss",
            FISHING_REFERENCE,
            "Standardized columns expanded into splines, then a multinomial logistic"
            " regression whose penalty is tuned on log loss by 5-fold CV.",
        ),
        field=classification_field(len(data.train), proba=True),
    )
