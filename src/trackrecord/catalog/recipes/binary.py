"""Binary classification projects judged on a well-ranked, balanced target: spam7,
telco-churn. (Rare positives and probabilities: `binary_scores.py`.)

Each baseline and reference is code (`CodeContender`): the starter notebook shows the
baseline, and the reference is revealed after finalizing so a learner can compare.
"""

from __future__ import annotations

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.fields import classification_field
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

LOGISTIC = "from sklearn.linear_model import LogisticRegression"


def stratified_validation(metric_function: str, *, extra: str = "") -> str:
    """How to validate when the test set is a stratified random sample of the rows."""
    return (
        "The test set is a random sample of the rows, stratified on the target, so validate"
        " the same way: stratified 5-fold cross-validation on train"
        " (`StratifiedKFold(5, shuffle=True, random_state=0)`), fitting on four folds and"
        f" printing `sklearn.metrics.{metric_function}` on the fifth; report the mean and the"
        " spread over the folds, and keep every choice (columns, encodings, hyperparameters)"
        f" inside the folds.{extra}"
    )


SPAM7_REFERENCE = """\
from sklearn.ensemble import ExtraTreesClassifier

features = ["crl_tot", "dollar", "bang", "money", "n000", "make"]
# Trees split on thresholds, so the skewed, zero-heavy counts need no log or scaling;
# averaging 300 randomized trees smooths the ranking.
model = ExtraTreesClassifier(n_estimators=300, min_samples_leaf=2, random_state=0, n_jobs=1)
model.fit(train[features], train["spam"])

submission = pd.DataFrame({"id": test["id"]})
proba = model.predict_proba(test[features])
submission["spam"] = proba[:, list(model.classes_).index("yes")]
"""


@recipe(
    "spam7",
    title="Spam or ham, from six counts",
    task="binary-classification",
    metric="roc_auc",
    level=1,
    skills=("baselines", "trees", "ensembles", "feature-engineering"),
    apply_elsewhere=("titanic", "concrete"),
    summary="Tell spam from legitimate e-mail using six summary statistics of each message.",
    gold_margin=0.005,
    version="2",
)
def spam7() -> Project:
    df = rdata("DAAG", "spam7").rename(columns={"crl.tot": "crl_tot", "yesno": "spam"})
    df["spam"] = df["spam"].map({"y": "yes", "n": "no"})
    data = supervised(
        with_ids(df),
        metric="roc_auc",
        target="spam",
        test_size=0.3,
        seed=7,
        stratify=True,
        labels=("no", "yes"),
    )
    return data.project(
        brief=Brief(
            source="R package DAAG, data set `spam7` (UCI Spambase, Hewlett-Packard Labs, 1999).",
            about="4601 e-mails collected at Hewlett-Packard; each row keeps six statistics of"
            " the message. Most are frequencies, heavily skewed with many zeros.",
            target="`spam`: `yes` for spam, `no` for a legitimate message. Submit a score"
            " (e.g. the probability of `yes`): higher means more likely spam.",
            metric_why="ROC AUC measures how well your scores rank spam above ham, whatever"
            " threshold a mail filter later picks.",
            columns={
                "crl_tot": "total length of the runs of capital letters in the message",
                "dollar": "share of `$` characters (percent of all characters)",
                "bang": "share of `!` characters (percent of all characters)",
                "money": "share of the word 'money' (percent of all words)",
                "n000": "share of the string '000' (percent of all words)",
                "make": "share of the word 'make' (percent of all words)",
            },
            pitfalls=(
                "Every column is heavily right-skewed with many exact zeros: a linear model on"
                " the raw values is dominated by a few extreme messages; log1p the counts or"
                " use trees, which only look at thresholds.",
                "ROC AUC reads the ranking of your scores: submit probabilities, not 0/1"
                " labels, or every tie between two messages costs you.",
                "The six columns were chosen from Spambase's 57; without the text you cannot"
                " add words, but ratios and 'is it zero' flags are still features you can build.",
            ),
            validation=stratified_validation("roc_auc_score"),
            split_why="E-mails are independent rows (the data keep no dates), so the test set"
            " is a random 30% of them, stratified on `spam` so every part keeps the 39% spam"
            " rate.",
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on $ and !",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("dollar", "bang"),
            explanation="Logistic regression on two of the six counts, unscaled for skew.",
        ),
        reference=CodeContender(
            "reference: extra trees, 300 trees",
            SPAM7_REFERENCE,
            "An ensemble of 300 extremely randomized trees on all six counts, as they are.",
        ),
        field=classification_field(len(data.train), proba=True),
    )


TELCO_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

X_train, X_test = train.drop(columns=["id", "churn"]), test.drop(columns=["id"])
for X in (X_train, X_test):
    # Brand-new customers (tenure 0) have not been billed yet: their total is 0, not unknown.
    X["total_charges"] = X["total_charges"].fillna(0)
numeric = [c for c in X_train.columns if pd.api.types.is_numeric_dtype(X_train[c])]
categorical = [c for c in X_train.columns if c not in numeric]
preprocess = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), categorical),
    (StandardScaler(), numeric),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=2000))
grid = {"logisticregression__C": [0.03, 0.1, 0.3, 1.0, 3.0]}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="roc_auc", cv=folds, n_jobs=1)
search.fit(X_train, train["churn"])

submission = pd.DataFrame({"id": test["id"]})
proba = search.predict_proba(X_test)
submission["churn"] = proba[:, list(search.classes_).index("Yes")]
"""

YES_NO = "`Yes` or `No`"


@recipe(
    "telco-churn",
    title="Telco customer churn",
    task="binary-classification",
    metric="roc_auc",
    level=2,
    skills=("categorical-encoding", "missing-data", "linear-models", "gradient-boosting"),
    apply_elsewhere=("titanic", "more-kids"),
    summary="Rank a phone company's customers by their risk of leaving next month.",
    gold_margin=0.005,
    version="2",
)
def telco_churn() -> Project:
    df = with_ids(rdata("modeldata", "wa_churn"))
    data = supervised(
        df,
        metric="roc_auc",
        target="churn",
        test_size=0.3,
        seed=5,
        stratify=True,
        labels=("No", "Yes"),
    )
    return data.project(
        brief=Brief(
            source="R package modeldata, data set `wa_churn` (IBM Watson Analytics telco sample).",
            about="7043 customers of a telecom company: demographics, the services they"
            " subscribe to, the contract and what they pay. 11 new customers have no total"
            " charges yet.",
            target="`churn`: `Yes` if the customer left within the last month. Submit a score"
            " (e.g. the probability of `Yes`).",
            metric_why="ROC AUC rewards ranking leavers above stayers, which is what a"
            " retention team needs to decide whom to call first.",
            columns={
                "female": "1 for a female customer, 0 for male",
                "senior_citizen": "1 if the customer is 65 or older",
                "partner": "1 if the customer has a partner",
                "dependents": "1 if the customer has dependents (children, relatives)",
                "tenure": "months with the company",
                "phone_service": "1 if the customer has a phone line",
                "multiple_lines": f"more than one phone line: {YES_NO}, or `No phone service`",
                "internet_service": "DSL, fiber optic or none",
                "online_security": f"online security add-on: {YES_NO}, or `No internet service`",
                "online_backup": f"online backup add-on: {YES_NO}, or `No internet service`",
                "device_protection": f"device protection plan: {YES_NO}, or `No internet service`",
                "tech_support": f"technical support plan: {YES_NO}, or `No internet service`",
                "streaming_tv": f"streams TV: {YES_NO}, or `No internet service`",
                "streaming_movies": f"streams movies: {YES_NO}, or `No internet service`",
                "contract": "month-to-month, one year or two year",
                "paperless_billing": "1 if bills are paperless",
                "payment_method": "how the customer pays (electronic check, mailed check,"
                " bank transfer, credit card)",
                "monthly_charges": "current monthly bill",
                "total_charges": "total billed so far (missing for brand-new customers)",
            },
            pitfalls=(
                "`total_charges` is missing for the 11 customers with tenure 0: they have not"
                " been billed, so 0 is the truth; a median fill invents a long history.",
                "Most columns are text categories (`contract`, `payment_method`, the add-ons):"
                " a model that drops them ignores the strongest signal (month-to-month"
                " contracts churn far more).",
                "`No internet service` appears in six columns and means the same thing each"
                " time: the columns are strongly dependent, which inflates tree importances"
                " and makes coefficients hard to read.",
                "`total_charges` is about tenure times monthly charges: keep that in mind"
                " before reading any single coefficient.",
            ),
            validation=stratified_validation("roc_auc_score"),
            split_why="Customers are a single snapshot with no dates, so the test set is a"
            " random 30% of them, stratified on `churn` so every part keeps the 27% churn"
            " rate.",
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on tenure and monthly charges",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("tenure", "monthly_charges"),
            explanation="Logistic regression on two numeric columns; every categorical column"
            " is still unused.",
        ),
        reference=CodeContender(
            "reference: tuned logistic regression, one-hot",
            TELCO_REFERENCE,
            "Every column: categories one-hot encoded, numbers standardized, missing totals"
            " filled with 0; the penalty C chosen by 5-fold cross-validation on ROC AUC.",
        ),
        field=classification_field(len(data.train), proba=True),
    )
