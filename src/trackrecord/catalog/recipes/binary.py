"""Binary classification projects."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from trackrecord.catalog.baselines import model_baseline
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import SEED, classification_field, for_trees, tuned, with_pre
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

LOGISTIC = "from sklearn.linear_model import LogisticRegression"
HGB = "histgradientboostingclassifier__"
LOGREG = "logisticregression__"


@recipe(
    "titanic",
    title="Titanic: who survived?",
    task="binary-classification",
    metric="accuracy",
    level=1,
    skills=("baselines", "missing-data", "categorical-encoding", "trees"),
    apply_elsewhere=("telco-churn",),
    summary="Predict which passengers of the Titanic survived from class, sex, age and family.",
    gold_margin=0.015,
)
def titanic() -> Project:
    df = with_ids(rdata("vcdExtra", "Titanicp"))
    data = supervised(
        df, metric="accuracy", target="survived", test_size=0.35, seed=11, stratify=True
    )
    grid = {f"{HGB}max_depth": [2, 3, 4], f"{HGB}learning_rate": [0.05, 0.1]}
    reference = tuned(
        for_trees(lambda: HistGradientBoostingClassifier(max_iter=150, random_state=SEED)),
        grid,
        data.spec,
        "accuracy",
    )
    return data.project(
        brief=Brief(
            source="R package vcdExtra, data set `Titanicp` (Encyclopedia Titanica, 1309"
            " passengers).",
            about="One row per passenger of the RMS Titanic, which sank in April 1912. About a"
            " fifth of the ages are missing.",
            target="`survived`: `survived` or `died`.",
            metric_why="Accuracy is the share of passengers classified correctly; the classes are"
            " not too unbalanced (about 38% survived), so it is a fair first metric.",
            columns={
                "pclass": "ticket class (1st, 2nd, 3rd)",
                "sex": "female or male",
                "age": "age in years (fractions for infants)",
                "sibsp": "siblings and spouses aboard",
                "parch": "parents and children aboard",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on age and family size",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("age", "sibsp", "parch"),
            explanation="Logistic regression on the numeric columns only. Class and sex are"
            " left out on purpose: encoding them is your first improvement.",
        ),
        reference=SklearnContender("reference: tuned gradient boosting, all columns", reference),
        field=classification_field(len(data.train), proba=False),
    )


@recipe(
    "spam7",
    title="Spam or ham, from six counts",
    task="binary-classification",
    metric="roc_auc",
    level=1,
    skills=("baselines", "trees", "ensembles", "skewed-targets"),
    apply_elsewhere=("fine-food-reviews", "caravan"),
    summary="Tell spam from legitimate e-mail using six summary statistics of each message.",
    gold_margin=0.005,
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
    forest = for_trees(
        lambda: ExtraTreesClassifier(300, min_samples_leaf=2, random_state=SEED, n_jobs=1)
    )
    return data.project(
        brief=Brief(
            source="R package DAAG, data set `spam7` (UCI Spambase, Hewlett-Packard Labs, 1999).",
            about="4601 e-mails collected at Hewlett-Packard; each row keeps six statistics of"
            " the message. Most are frequencies, heavily skewed with many zeros.",
            target="`spam`: `yes` for spam, `no` for a legitimate message.",
            metric_why="ROC AUC measures how well your scores rank spam above ham, whatever"
            " threshold a mail filter later picks.",
            columns={
                "crl_tot": "total length of words in capitals",
                "dollar": "share of `$` characters",
                "bang": "share of `!` characters",
                "money": "share of the word 'money'",
                "n000": "share of the string '000'",
                "make": "share of the word 'make'",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on $ and !",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("dollar", "bang"),
            explanation="Logistic regression on two of the six counts, unscaled for skew.",
        ),
        reference=SklearnContender("reference: extra trees, 300 trees", forest),
        field=classification_field(len(data.train), proba=True),
    )


@recipe(
    "default",
    title="Credit card default",
    task="binary-classification",
    metric="pr_auc",
    level=2,
    skills=("imbalanced-data", "linear-models", "scaling"),
    apply_elsewhere=("caravan",),
    summary="Find the 3% of credit card customers who will default, from balance and income.",
    gold_margin=0.02,
)
def default() -> Project:
    df = with_ids(rdata("ISLR", "Default"))
    data = supervised(
        df,
        metric="pr_auc",
        target="default",
        test_size=0.3,
        seed=3,
        stratify=True,
        labels=("No", "Yes"),
    )
    grid = {f"{LOGREG}C": [0.01, 0.1, 1.0, 10.0]}
    reference = tuned(
        with_pre(lambda: LogisticRegression(max_iter=2000)), grid, data.spec, "pr_auc"
    )
    return data.project(
        brief=Brief(
            source="R package ISLR, data set `Default` (simulated; James et al., An Introduction"
            " to Statistical Learning).",
            about="10,000 credit card customers. Only about 3% default, so a model that always"
            " says 'No' is 97% accurate and useless.",
            target="`default`: `Yes` if the customer defaulted on the debt.",
            metric_why="PR AUC (average precision) focuses on the rare positive class: how"
            " precise your top-ranked customers are, at every recall.",
            columns={
                "student": "whether the customer is a student",
                "balance": "average balance left on the card after the monthly payment",
                "income": "annual income",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on income",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("income",),
            explanation="Logistic regression on income alone: a weak signal for default.",
        ),
        reference=SklearnContender("reference: tuned logistic regression, all columns", reference),
        field=classification_field(len(data.train), proba=True),
    )


@recipe(
    "telco-churn",
    title="Telco customer churn",
    task="binary-classification",
    metric="roc_auc",
    level=2,
    skills=("categorical-encoding", "missing-data", "linear-models", "gradient-boosting"),
    apply_elsewhere=("titanic", "smoke-ban"),
    summary="Rank a phone company's customers by their risk of leaving next month.",
    gold_margin=0.005,
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
    grid = {f"{LOGREG}C": [0.03, 0.3, 3.0]}
    reference = tuned(
        with_pre(lambda: LogisticRegression(max_iter=2000)), grid, data.spec, "roc_auc"
    )
    return data.project(
        brief=Brief(
            source="R package modeldata, data set `wa_churn` (IBM Watson Analytics telco sample).",
            about="7043 customers of a telecom company: demographics, the services they"
            " subscribe to, the contract and what they pay. 11 new customers have no total"
            " charges yet.",
            target="`churn`: `Yes` if the customer left within the last month.",
            metric_why="ROC AUC rewards ranking leavers above stayers, which is what a"
            " retention team needs to decide whom to call first.",
            columns={
                "tenure": "months with the company",
                "contract": "month-to-month, one year or two year",
                "monthly_charges": "current monthly bill",
                "total_charges": "total billed so far (missing for brand-new customers)",
                "internet_service": "DSL, fiber optic or none",
                "payment_method": "how the customer pays",
            },
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
        reference=SklearnContender("reference: tuned logistic regression, one-hot", reference),
        field=classification_field(len(data.train), proba=True),
    )


@recipe(
    "smoke-ban",
    title="Workplace smoking bans",
    task="binary-classification",
    metric="log_loss",
    level=2,
    skills=("probability-calibration", "categorical-encoding", "linear-models"),
    apply_elsewhere=("car-choice", "telco-churn"),
    summary="Estimate the probability that a worker smokes, from workplace bans and background.",
    gold_margin=0.002,
)
def smoke_ban() -> Project:
    df = with_ids(rdata("AER", "SmokeBan"))
    data = supervised(
        df,
        metric="log_loss",
        target="smoker",
        test_size=0.3,
        seed=9,
        stratify=True,
        labels=("no", "yes"),
    )
    grid = {f"{HGB}max_depth": [2, 3], f"{HGB}learning_rate": [0.03, 0.1]}
    reference = tuned(
        for_trees(lambda: HistGradientBoostingClassifier(max_iter=150, random_state=SEED)),
        grid,
        data.spec,
        "log_loss",
    )
    return data.project(
        brief=Brief(
            source="R package AER, data set `SmokeBan` (US National Health Interview Survey,"
            " 1991 and 1993; Stock and Watson).",
            about="10,000 indoor workers: whether their workplace bans smoking, their age,"
            " education, ethnicity and gender.",
            target="`smoker`: `yes` if the worker smokes. Submit the probability of `yes`.",
            metric_why="Log loss judges the probabilities themselves: a confident wrong"
            " answer costs a lot. Good for a question where nobody can be certain.",
            columns={
                "ban": "whether there is a workplace smoking ban",
                "age": "age in years",
                "education": "highest education level",
                "afam": "African American",
                "hispanic": "Hispanic",
                "gender": "female or male",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on age",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("age",),
            explanation="Logistic regression on age: barely better than the overall smoking rate.",
        ),
        reference=SklearnContender("reference: tuned gradient boosting", reference),
        field=classification_field(len(data.train), proba=True),
    )


@recipe(
    "caravan",
    title="Who buys caravan insurance?",
    task="binary-classification",
    metric="pr_auc",
    level=4,
    skills=("imbalanced-data", "high-dimensional", "regularization", "cross-validation"),
    apply_elsewhere=("default",),
    summary="Find the 6% of customers who buy caravan insurance among 85 socio-demographic"
    " and product-ownership features.",
    gold_margin=0.01,
)
def caravan() -> Project:
    df = with_ids(rdata("ISLR", "Caravan"))
    data = supervised(
        df,
        metric="pr_auc",
        target="Purchase",
        test_size=0.35,
        seed=13,
        stratify=True,
        labels=("No", "Yes"),
    )
    grid = {f"{LOGREG}C": list(np.logspace(-3, -1, 3))}
    reference = tuned(
        with_pre(lambda: LogisticRegression(max_iter=3000)), grid, data.spec, "pr_auc"
    )
    return data.project(
        brief=Brief(
            source="R package ISLR, data set `Caravan` (CoIL 2000 Challenge, Sentient Machine"
            " Research).",
            about="5822 customers of an insurance company. Columns 1-43 describe the customer's"
            " zip code area (coded levels); columns 44-85 count the insurance products they own.",
            target="`Purchase`: `Yes` if the customer bought a caravan insurance policy.",
            metric_why="PR AUC (average precision) rewards putting the few buyers at the top"
            " of a mailing list, which is how such a model is used.",
            columns={
                "MOSTYPE": "customer subtype (coded)",
                "PPERSAUT": "contribution to car policies (level)",
                "MKOOPKLA": "purchasing power class",
            },
        ),
        baseline=model_baseline(
            data.spec,
            name="baseline: logistic regression on car policy and purchasing power",
            model="LogisticRegression()",
            imports=LOGISTIC,
            numeric=("PPERSAUT", "MKOOPKLA"),
            explanation="Logistic regression on two columns out of 85.",
        ),
        reference=SklearnContender(
            "reference: strongly regularized logistic regression", reference
        ),
        field=classification_field(len(data.train), proba=True),
    )
