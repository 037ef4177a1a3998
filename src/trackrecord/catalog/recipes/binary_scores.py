"""Binary classification projects judged on scores: rare positives ranked by ROC AUC
(default, caravan) and probabilities judged by log loss (more-kids).

With few positives, average precision swings too much from luck to carry a medal (a
hundred positives give it a standard error of about 0.05), so the rare-positive projects
use ROC AUC and a test share large enough for 100 private positives.
"""

from __future__ import annotations

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.fields import classification_field
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, supervised
from trackrecord.catalog.recipes.binary import LOGISTIC, stratified_validation
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

DEFAULT_BASELINE = """\
from sklearn.neighbors import KNeighborsClassifier

features = ["balance", "income"]
# The 25 customers nearest in (balance, income), on the raw scales: income runs in the tens
# of thousands and balance in the hundreds, so the distance mostly compares incomes.
model = KNeighborsClassifier(n_neighbors=25)
model.fit(train[features], train["default"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
submission["default"] = proba[:, list(model.classes_).index("Yes")]
"""

DEFAULT_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

features = ["student", "balance", "income"]
preprocess = make_column_transformer(
    (OneHotEncoder(drop="if_binary"), ["student"]),
    (StandardScaler(), ["balance", "income"]),  # one scale for every number
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))
grid = {"logisticregression__C": [0.01, 0.1, 1.0, 10.0]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(train[features], train["default"])

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(test[features])
submission["default"] = proba[:, list(search.classes_).index("Yes")]
"""

RARE_VALIDATION = (
    " With about 3-6% positives, check that every fold holds positives, and expect ROC AUC to"
    " move by a point or two between folds."
)


@recipe(
    "default",
    title="Credit card default",
    task="binary-classification",
    metric="roc_auc",
    level=2,
    skills=("imbalanced-data", "linear-models", "scaling"),
    apply_elsewhere=("caravan",),
    summary="Rank credit card customers by their risk of default (about 3% do), from balance,"
    " income and student status.",
    gold_margin=0.005,
    version="2",
)
def default() -> Project:
    df = with_ids(rdata("ISLR", "Default"))
    data = supervised(
        df,
        metric="roc_auc",
        target="default",
        test_size=0.45,
        seed=3,
        stratify=True,
        labels=("No", "Yes"),
    )
    return data.project(
        brief=Brief(
            source="R package ISLR, data set `Default` (simulated; James et al., An Introduction"
            " to Statistical Learning).",
            about="10,000 credit card customers. Only about 3% default, so a model that always"
            " says 'No' is 97% accurate and useless. The test set is large (45%) so that the"
            " private split holds over 100 defaulters.",
            target="`default`: `Yes` if the customer defaulted on the debt. Submit a score"
            " (e.g. the probability of `Yes`): higher means more likely to default.",
            metric_why="ROC AUC is the chance that a random defaulter is ranked above a random"
            " customer who paid: it ignores the 97% of easy 'No's that make accuracy useless,"
            " and with about 100 defaulters in the private split it is far steadier than"
            " average precision, which luck alone would move by about 0.05.",
            columns={
                "student": "whether the customer is a student (`Yes`/`No`)",
                "balance": "average balance left on the card after the monthly payment",
                "income": "annual income",
            },
            pitfalls=(
                "Accuracy is the wrong yardstick here: 'No' for everyone is 97% accurate."
                " Judge models by ROC AUC on folds, and submit scores, not labels.",
                "`income` is in tens of thousands and `balance` in hundreds: distance- and"
                " penalty-based models (k-NN, regularized regression) need scaled features.",
                "Students carry higher balances: `student` looks risky on its own but is"
                " slightly safer at a given balance. Read its coefficient with balance in the"
                " model.",
            ),
            validation=stratified_validation("roc_auc_score", extra=RARE_VALIDATION),
            split_why="Customers are independent rows with no time order, so the test set is a"
            " random 45% of them, stratified on `default` so every part keeps the 3.3% default"
            " rate; the share is large so the private split holds about 100 defaulters.",
        ),
        baseline=CodeContender(
            "baseline: 25 nearest neighbours on raw balance and income",
            DEFAULT_BASELINE,
            "A vote of the 25 most similar customers, measured on unscaled balance and income."
            " Two problems to fix: the scales, and that 25 neighbours rarely include a"
            " defaulter, so many scores tie.",
        ),
        reference=CodeContender(
            "reference: tuned logistic regression, all columns",
            DEFAULT_REFERENCE,
            "Logistic regression on standardized balance and income and the student flag,"
            " its penalty C chosen by 5-fold cross-validation on ROC AUC.",
        ),
        field=classification_field(len(data.train), proba=True),
    )


# Caravan's columns (CoIL 2000 data dictionary). Columns 6-41 give the share of the customer's
# zip code area with a property, as a level 0-9 (0: 0%, 1: 1-10%, ..., 5: 50-62%, 9: 100%).
_AREA_SHARES = {
    "MGODRK": "Roman Catholic",
    "MGODPR": "Protestant",
    "MGODOV": "of another religion",
    "MGODGE": "of no religion",
    "MRELGE": "married",
    "MRELSA": "living together",
    "MRELOV": "in another relation",
    "MFALLEEN": "single",
    "MFGEKIND": "households without children",
    "MFWEKIND": "households with children",
    "MOPLHOOG": "with a high level of education",
    "MOPLMIDD": "with a medium level of education",
    "MOPLLAAG": "with a lower level of education",
    "MBERHOOG": "of high occupational status",
    "MBERZELF": "entrepreneurs",
    "MBERBOER": "farmers",
    "MBERMIDD": "middle management",
    "MBERARBG": "skilled labourers",
    "MBERARBO": "unskilled labourers",
    "MSKA": "social class A",
    "MSKB1": "social class B1",
    "MSKB2": "social class B2",
    "MSKC": "social class C",
    "MSKD": "social class D",
    "MHHUUR": "renting their home",
    "MHKOOP": "owning their home",
    "MAUT1": "with one car",
    "MAUT2": "with two cars",
    "MAUT0": "with no car",
    "MZFONDS": "in the national health service",
    "MZPART": "with private health insurance",
    "MINKM30": "with income under 30,000",
    "MINK3045": "with income 30,000-45,000",
    "MINK4575": "with income 45,000-75,000",
    "MINK7512": "with income 75,000-122,000",
    "MINK123M": "with income over 123,000",
}
# Columns 44-85: the customer's insurance products. P<name>: contribution paid (level 0-9);
# A<name>: number of policies.
_PRODUCTS = {
    "WAPART": "private third-party",
    "WABEDR": "third-party (firms)",
    "WALAND": "third-party (agriculture)",
    "PERSAUT": "car",
    "BESAUT": "delivery van",
    "MOTSCO": "motorcycle/scooter",
    "VRAAUT": "lorry",
    "AANHANG": "trailer",
    "TRACTOR": "tractor",
    "WERKT": "agricultural machine",
    "BROM": "moped",
    "LEVEN": "life",
    "PERSONG": "private accident",
    "GEZONG": "family accident",
    "WAOREG": "disability",
    "BRAND": "fire",
    "ZEILPL": "surfboard",
    "PLEZIER": "boat",
    "FIETS": "bicycle",
    "INBOED": "property",
    "BYSTAND": "social security",
}
CARAVAN_COLUMNS = {
    "MOSTYPE": "customer subtype, a code 1-41 (a category, not a quantity)",
    "MAANTHUI": "number of houses the customer owns (1-10)",
    "MGEMOMV": "average household size in the zip code area (1-6)",
    "MGEMLEEF": "average age band in the zip code area (1: 20-30 ... 6: 70-80)",
    "MOSHOOFD": "customer main type, a code 1-10 (a category, not a quantity)",
    **{c: f"share of the zip code area {what} (level 0-9)" for c, what in _AREA_SHARES.items()},
    "MINKGEM": "average income level of the zip code area",
    "MKOOPKLA": "purchasing power class of the zip code area",
    **{f"P{c}": f"contribution to {what} policies (level 0-9)" for c, what in _PRODUCTS.items()},
    **{f"A{c}": f"number of {what} policies" for c, what in _PRODUCTS.items()},
}

CARAVAN_REFERENCE = """\
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

features = [c for c in train.columns if c not in ("id", "Purchase")]
# 85 correlated columns and about 170 buyers in train: a strong L2 penalty keeps the
# coefficients from fitting noise. C is chosen on 5 stratified folds of train.
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))
grid = {"logisticregression__C": [0.001, 0.003, 0.01, 0.03, 0.1]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(train[features], train["Purchase"])

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(test[features])
submission["Purchase"] = proba[:, list(search.classes_).index("Yes")]
"""


@recipe(
    "caravan",
    title="Who buys caravan insurance?",
    task="binary-classification",
    metric="roc_auc",
    level=4,
    skills=("imbalanced-data", "high-dimensional", "regularization", "cross-validation"),
    apply_elsewhere=("default",),
    summary="Find the 6% of customers who buy caravan insurance among 85 socio-demographic"
    " and product-ownership features.",
    gold_margin=0.01,
    version="2",
)
def caravan() -> Project:
    df = with_ids(rdata("ISLR", "Caravan"))
    data = supervised(
        df,
        metric="roc_auc",
        target="Purchase",
        test_size=0.5,
        seed=13,
        stratify=True,
        labels=("No", "Yes"),
    )
    return data.project(
        brief=Brief(
            source="R package ISLR, data set `Caravan` (CoIL 2000 Challenge, Sentient Machine"
            " Research).",
            about="5822 customers of an insurance company. Columns 1-43 describe the customer's"
            " zip code area (coded levels); columns 44-85 describe the insurance products they"
            " already own. Only 348 bought a caravan policy; half the rows are in the test set"
            " so that the private split holds over 100 buyers.",
            target="`Purchase`: `Yes` if the customer bought a caravan insurance policy. Submit"
            " a score (e.g. the probability of `Yes`).",
            metric_why="ROC AUC is the chance that a random buyer is ranked above a random"
            " non-buyer: what matters for a mailing list. With about 120 buyers in the private"
            " split it is much steadier than average precision, which luck alone would move"
            " by about 0.03 on a scale where the best models reach 0.2.",
            columns=CARAVAN_COLUMNS,
            pitfalls=(
                "85 columns and about 170 buyers in train: an unpenalized model fits noise"
                " (plain logistic regression scores below a two-column one). Regularize, or"
                " select features, and choose the strength on folds.",
                "`MOSTYPE` and `MOSHOOFD` are category codes, not quantities: 'subtype 12' is"
                " not between 11 and 13. One-hot encode them if you use them.",
                "The zip-code-area columns are the same for all neighbours: they describe the"
                " area, not the customer. The product columns (`P*`, `A*`), above all car"
                " policies, carry most of the signal.",
                "With ~6% buyers a fold's ROC AUC can move by 0.03 from luck: compare models on"
                " the same folds and repeat the cross-validation before trusting a gain.",
            ),
            validation=stratified_validation("roc_auc_score", extra=RARE_VALIDATION),
            split_why="Customers are independent rows with no time order, so the test set is a"
            " random half of them, stratified on `Purchase` so every part keeps the 6% buying"
            " rate; the share is large so the private split holds over 100 buyers.",
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on car ownership in the area",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("MAUT1", "MAUT0"),
            explanation="A caravan needs a car to pull it: logistic regression on the shares of"
            " the customer's zip code area with one car and with no car. The 42 columns of"
            " products the customer owns (their own car policy above all) are still unused.",
        ),
        reference=CodeContender(
            "reference: strongly regularized logistic regression",
            CARAVAN_REFERENCE,
            "All 85 columns standardized, an L2-penalized logistic regression whose penalty is"
            " chosen by 5-fold cross-validation on ROC AUC.",
        ),
        field=classification_field(len(data.train), proba=True),
    )


MORE_KIDS_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def with_same_sex(frame):
    # The sexes matter together, not one by one: parents of two boys or of two girls are
    # more likely to try for a third child.
    frame = frame.copy()
    frame["same_sex"] = np.where(frame["gender1"] == frame["gender2"], "yes", "no")
    return frame


categorical = ["gender1", "gender2", "same_sex", "afam", "hispanic", "other"]
numeric = ["age", "work"]
preprocess = make_column_transformer(
    (OneHotEncoder(drop="if_binary"), categorical),
    (StandardScaler(), numeric),
)
# Logistic regression is fitted by maximizing the likelihood, i.e. by minimizing log loss:
# its probabilities are calibrated without any extra step.
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))
model.fit(with_same_sex(train)[categorical + numeric], train["morekids"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(with_same_sex(test)[categorical + numeric])
submission["morekids"] = proba[:, list(model.classes_).index("yes")]
"""

MORE_KIDS_ROWS = 60_000  # a seeded sample of the census extract's 254,654 women


@recipe(
    "more-kids",
    title="A third child?",
    task="binary-classification",
    metric="log_loss",
    level=2,
    skills=("probability-calibration", "categorical-encoding", "linear-models"),
    apply_elsewhere=("fishing-mode", "telco-churn"),
    summary="Estimate the probability that a mother of two has a third child, from the sexes"
    " of her first two children, her age, background and work.",
    gold_margin=0.002,
)
def more_kids() -> Project:
    source = rdata("AER", "Fertility")
    df = with_ids(source.sample(MORE_KIDS_ROWS, random_state=1980).reset_index(drop=True))
    data = supervised(
        df,
        metric="log_loss",
        target="morekids",
        test_size=0.5,
        seed=9,
        stratify=True,
        labels=("no", "yes"),
    )
    return data.project(
        brief=Brief(
            source="R package AER, data set `Fertility` (1980 US Census 5% sample; Angrist and"
            " Evans 1998, used by Stock and Watson).",
            about=f"{MORE_KIDS_ROWS:,} married women aged 21-35 with at least two children,"
            " drawn at random from the 254,654 of the census extract. About 38% have more"
            " than two children.",
            target="`morekids`: `yes` if the woman has more than two children. Submit the"
            " probability of `yes`.",
            metric_why="Log loss judges the probabilities themselves: a confident wrong answer"
            " costs a lot. Nobody can be sure who has a third child, so the honest goal is a"
            " probability that means what it says. With 21,000 private rows the score is"
            " precise to about 0.002.",
            columns={
                "gender1": "sex of the first child (`male`/`female`)",
                "gender2": "sex of the second child (`male`/`female`)",
                "age": "the mother's age in years at the census",
                "afam": "`yes` if the mother is African American",
                "hispanic": "`yes` if the mother is Hispanic",
                "other": "`yes` if the mother is of another non-white race",
                "work": "weeks the mother worked in 1979 (0-52)",
            },
            pitfalls=(
                "Predicting 38% for everyone already scores about 0.665: that is the line a"
                " model must clearly beat; the sample submission's 0.5 is worse than nothing.",
                "`gender1` and `gender2` tell almost nothing one by one: what matters is"
                " whether they are the same (two boys or two girls). A linear model only sees"
                " that if you build the feature.",
                "Overconfident models are punished hard: random forests, k-NN and naive"
                " Bayes can score worse than the constant. Check calibration on folds (or"
                " calibrate with `CalibratedClassifierCV`) before trusting their scores.",
                "`work` is partly a consequence of a third child, not a cause: fine for"
                " prediction, wrong for saying what would make a family grow.",
            ),
            validation=stratified_validation("log_loss"),
            split_why="The women are independent survey rows from one census, so the test set"
            " is a random half of the sample, stratified on `morekids`; the large test set"
            " makes the private log loss precise enough for the medal lines to differ by"
            " more than luck.",
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on work and the two children's sexes",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("work",),
            categorical=("gender1", "gender2"),
            explanation="Logistic regression on weeks worked and, one by one, the sexes of the"
            " first two children. Age and background are unused, and the sexes only matter"
            " together.",
        ),
        reference=CodeContender(
            "reference: logistic regression with a same-sex feature",
            MORE_KIDS_REFERENCE,
            "Logistic regression on every column plus one built feature: whether the first"
            " two children have the same sex.",
        ),
        field=classification_field(len(data.train), proba=True),
    )
