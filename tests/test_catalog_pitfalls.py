"""The pitfall strand (catalog/pitfalls.py and the projects whose lesson is a trap): the
helpers' splits keep their promises, and each project's trap is real in its data and its
stored numbers, so its brief tells the truth."""

from __future__ import annotations

import math
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression
from threadpoolctl import threadpool_limits

from trackrecord.bundle import USAGE
from trackrecord.catalog import evaluate, registry
from trackrecord.catalog.build import write_project
from trackrecord.catalog.contenders import CodeContender, SklearnContender
from trackrecord.catalog.model import Project, Spec
from trackrecord.catalog.noise import bootstrap_se
from trackrecord.catalog.pitfalls import (
    SampledContender,
    as_at_decision,
    group_prepared,
    time_prepared,
    train_only,
    transformed,
)
from trackrecord.catalog.registry import get_recipe
from trackrecord.catalog.rules import NOTHING_SE
from trackrecord.catalog.splits import ID, with_ids
from trackrecord.catalog.stored import StoredEntry, load_stored
from trackrecord.metrics import InputKind
from trackrecord.scoring.engine import align_frame

# pitfall -> the skill its project must teach
PITFALL_SKILL = {
    "leakage": "leakage",
    "drift": "distribution-shift",
    "groups": "grouped-data",
    "fairness": "fairness",
    "scale": "large-data",
}


@pytest.fixture(autouse=True)
def _one_thread() -> Any:
    """As the build does: on a busy machine more OpenMP/BLAS threads are far slower."""
    with threadpool_limits(limits=1):
        yield


@cache
def _project(rid: str) -> Project:
    return registry.get_recipe(rid).build()


def _stored(rid: str) -> StoredEntry:
    entry = load_stored().get(rid)
    assert entry is not None and entry.version == registry.get_recipe(rid).version
    return entry


def _private(entry: StoredEntry, name: str) -> float:
    found = [f.private for f in (*entry.field, *entry.constants) if f.name == name]
    assert found, f"no stored pipeline named {name!r}"
    return found[0]


# --- the helpers ---------------------------------------------------------------------------


def _table(n: int = 600, groups: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    person = rng.integers(0, groups, size=n)
    return with_ids(
        pd.DataFrame(
            {
                "t": rng.integers(0, 100, size=n),
                "person": person,
                "x": rng.normal(size=n),
                "y": rng.normal(size=n) + person / 10,
            }
        )
    )


def test_time_prepared_puts_the_future_in_test_and_public_first() -> None:
    data = time_prepared(_table(), time="t", first_test=80, metric="rmse", target="y")
    assert data.train["t"].max() < 80 <= data.test["t"].min()
    assert list(data.test["t"]) == sorted(data.test["t"]), "test rows in time order"
    usage = data.answers[USAGE].to_numpy()
    times = data.test["t"].to_numpy()
    assert times[usage == "Public"].max() <= times[usage == "Private"].min()
    assert data.split.kind == "time" and data.spec.time_column == "t"
    assert "y" not in data.test


def test_group_prepared_keeps_every_group_on_one_side() -> None:
    data = group_prepared(
        _table(), group="person", test_size=0.4, seed=3, metric="rmse", target="y"
    )
    assert not set(data.train["person"]) & set(data.test["person"])
    public = set(data.answers.loc[data.answers[USAGE] == "Public", "person"])
    private = set(data.answers.loc[data.answers[USAGE] == "Private", "person"])
    assert public and private and not public & private
    assert data.split.kind == "group" and data.spec.group_column == "person"
    assert "person" in data.test, "the group column stays public, for GroupKFold"


def test_train_only_and_as_at_decision_change_test_alone() -> None:
    data = time_prepared(_table(), time="t", first_test=80, metric="rmse", target="y")
    audited = train_only(data, ["person"])
    assert "person" in audited.train and "person" not in audited.test
    then = as_at_decision(data.test, {"x": 0.0, "t": "person"})
    assert (then["x"] == 0).all() and (then["t"] == data.test["person"]).all()
    assert not (data.test["x"] == 0).all(), "the original test rows are untouched"


def _spec() -> Spec:
    return Spec(id_column=ID, target="y", target_columns=("y",), kind=InputKind.VALUES)


class _Counting:
    """A regressor that remembers how many rows it was fitted on."""

    rows = 0

    def fit(self, X: pd.DataFrame, y: pd.Series) -> _Counting:
        _Counting.rows = len(X)
        return self

    def predict(self, X: pd.DataFrame) -> Any:
        return np.zeros(len(X))


def test_sampled_contender_fits_on_at_most_its_rows() -> None:
    df = _table(n=500)
    train, test = df.iloc[:400], df.iloc[400:]
    sub = SampledContender("on 100 rows", lambda X: _Counting(), rows=100, features=["x"])
    out = sub.predict(train, test, _spec())
    assert _Counting.rows == 100 and len(out) == 100 and list(out.columns) == [ID, "y"]


def test_transformed_runs_the_same_function_on_train_and_test() -> None:
    df = _table(n=300)
    plain = SklearnContender("linear", lambda X: LinearRegression(), features=["t", "x"])

    def squared(X: pd.DataFrame) -> pd.DataFrame:
        return X.assign(t=X["t"] ** 2)

    train, test = df.iloc[:200], df.iloc[200:]
    got = transformed(plain, squared).predict(train, test, _spec())["y"].to_numpy()
    want = LinearRegression().fit(squared(train[["t", "x"]]), train["y"])
    assert np.allclose(got, want.predict(squared(test[["t", "x"]])))


# --- the strand ----------------------------------------------------------------------------


def test_each_pitfall_project_teaches_its_skill() -> None:
    found: dict[str, list[str]] = {}
    for folder in registry.project_folders():
        if folder.pitfall is not None:
            found.setdefault(folder.pitfall, []).append(folder.recipe.id)
            assert PITFALL_SKILL[folder.pitfall] in folder.recipe.skills, folder.recipe.id
            assert 3 <= folder.recipe.level <= 5, folder.recipe.id
    for pitfall in PITFALL_SKILL:
        assert found.get(pitfall), f"no project for the {pitfall} pitfall"


# --- leakage: loan-interest ----------------------------------------------------------------

LEAKY = "gradient boosting on every column (trusts the payment columns)"


def test_loan_test_rows_are_as_at_pricing_and_train_rows_are_not() -> None:
    project = _project("loan-interest")
    test, train = project.test, project.train
    for column in ("paid_total", "paid_principal", "paid_interest"):
        assert (train[column] > 0).mean() > 0.9, column
    for column in ("paid_total", "paid_principal", "paid_interest", "paid_late_fees"):
        assert (test[column] == 0).all(), column
    assert (test["balance"] == test["loan_amount"]).all()
    assert (train["balance"] < train["loan_amount"]).mean() > 0.9
    dropped = {"grade", "sub_grade", "installment", "loan_status"}
    assert not dropped & set(train.columns) and not dropped & set(test.columns)


def test_the_leak_helps_on_train_and_fails_on_the_private_split() -> None:
    """In train the payment columns nearly give the rate away (a time-ordered validation
    shows it too); on the private split the pipeline that trusts them earns no medal."""
    project = _project("loan-interest")
    train = project.train
    fit, held = train[train["issue_month"] == "2018-01"], train[train["issue_month"] == "2018-02"]
    numeric = [c for c in train.select_dtypes("number") if c not in (ID, "interest_rate")]
    payments = ["balance", "paid_total", "paid_principal", "paid_interest", "paid_late_fees"]
    application = [c for c in numeric if c not in payments]

    def mae(columns: list[str]) -> float:
        model = HistGradientBoostingRegressor(random_state=0).fit(
            fit[columns], fit["interest_rate"]
        )
        return float(np.mean(np.abs(model.predict(held[columns]) - held["interest_rate"])))

    assert mae(numeric) < 0.6 * mae(application), "the leak looks like skill on train"
    entry = _stored("loan-interest")
    assert entry.se is not None
    assert any(c.name == LEAKY for c in entry.constants), "the leaky pipeline is a no-skill entry"
    gap = _private(entry, LEAKY) - entry.thresholds.baseline  # MAE: higher is worse
    assert gap >= NOTHING_SE * entry.se


def test_crash_injuries_are_the_answer_in_train_and_unknown_in_test() -> None:
    project = _project("crash-fatality")
    train, test = project.train, project.test
    dead = train["dead"] == "dead"
    killed = train["injSeverity"] == 4
    assert (dead & killed).sum() > 0.9 * dead.sum(), "code 4 (killed) marks the deaths"
    assert (test["injSeverity"] == 5).all(), "unknown at the scene"
    assert "caseid" not in train and "weight" not in train
    entry = _stored("crash-fatality")
    assert entry.se is not None
    leaky = "gradient boosting on every column (trusts injSeverity)"
    assert entry.thresholds.baseline - _private(entry, leaky) >= NOTHING_SE * entry.se


# --- drift: computer-prices ----------------------------------------------------------------


def test_prices_fall_and_trees_that_cannot_extrapolate_lose_the_private_months() -> None:
    project = _project("computer-prices")
    assert project.train["trend"].max() < project.test["trend"].min()
    entry = _stored("computer-prices")
    assert entry.se is not None
    reference = entry.thresholds.reference
    for tree in ("random forest, log target", "gradient boosting (HistGB), log target"):
        # the private months are far from training: trees freeze the price level
        assert _private(entry, tree) - reference > 10 * entry.se
    linear = _private(entry, "linear regression, log target")
    assert linear < _private(entry, "random forest, log target")


@pytest.mark.slow
def test_shuffled_folds_rate_the_forest_about_twice_as_well_as_the_future_does() -> None:
    """The brief: shuffled k-fold on train.csv makes a forest look about twice as accurate
    as it is on the private months."""
    from sklearn.model_selection import KFold, cross_val_predict

    from trackrecord.catalog.fields import regression_field

    project = _project("computer-prices")
    train = project.train
    features = [c for c in project.test.columns if c != ID]
    (forest,) = [c for c in regression_field(len(train), log=True) if c.name.startswith("random")]
    assert isinstance(forest, SklearnContender)
    folds = KFold(5, shuffle=True, random_state=0)
    guess = cross_val_predict(
        forest.make(train[features]), train[features], train["price"], cv=folds
    )
    shuffled = float(np.sqrt(np.mean((np.log1p(guess) - np.log1p(train["price"])) ** 2)))
    private = _private(_stored("computer-prices"), forest.name)
    assert 1.6 < private / shuffled < 3.0


# --- groups: nls-wages ---------------------------------------------------------------------


def test_no_woman_is_on_two_sides_and_the_survey_id_is_gone() -> None:
    project = _project("nls-wages")
    assert not set(project.train["person"]) & set(project.test["person"])
    assert "idcode" not in project.train and "idcode" not in project.test
    answers = project.answers
    public = set(answers.loc[answers[USAGE] == "Public", "person"])
    assert not public & set(answers.loc[answers[USAGE] == "Private", "person"])


@pytest.mark.slow
def test_shuffled_folds_pick_the_nearest_neighbours_that_grouped_folds_reject() -> None:
    """The brief: a 5-nearest-neighbour model beats a linear regression under shuffled
    folds and loses to it under grouped ones."""
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import GroupKFold, KFold, cross_val_predict
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    train = _project("nls-wages").train
    numeric = [c for c in train.select_dtypes("number") if c not in (ID, "person", "ln_wage")]
    y = train["ln_wage"]

    def rmse(model: Any, cv: Any, **kw: Any) -> float:
        pre = make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            (OneHotEncoder(handle_unknown="ignore"), ["race"]),
        )
        guess = cross_val_predict(make_pipeline(pre, model), train, y, cv=cv, **kw)
        return float(np.sqrt(np.mean((guess - y) ** 2)))

    shuffled, grouped = KFold(5, shuffle=True, random_state=0), GroupKFold(5)
    knn, linear = KNeighborsRegressor(5), LinearRegression()
    assert rmse(knn, shuffled) < rmse(linear, shuffled)
    groups = train["person"]
    assert rmse(knn, grouped, groups=groups) > rmse(linear, grouped, groups=groups) + 0.01


def test_the_stored_se_resamples_whole_women() -> None:
    """A woman's rows share their errors: the build's SE resamples whole women (a group
    split's clusters), which is wider than resampling her rows one by one."""
    project = _project("nls-wages")
    entry = _stored("nls-wages")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = write_project(get_recipe("nls-wages"), project, Path(tmp) / "b", None)
        submission = project.reference.predict(project.train, project.test, project.spec)
        aligned = align_frame(bundle, submission, name="reference")
        women = evaluate._clusters(project, bundle)
    assert women is not None and len(set(women)) < len(women)
    by_women, by_rows = bootstrap_se(aligned, clusters=women), bootstrap_se(aligned)
    assert entry.se is not None and math.isclose(entry.se, by_women, rel_tol=0.05)
    assert by_women > 1.2 * by_rows


# --- fairness: police-search ---------------------------------------------------------------


def test_race_and_gender_are_for_the_audit_only() -> None:
    project = _project("police-search")
    for column in ("race", "preRace", "gender"):
        assert column in project.train and column not in project.test
    assert project.train["date"].max() < project.test["date"].min()


@pytest.mark.slow
def test_the_reference_audit_finds_the_disparity_the_brief_describes() -> None:
    """The brief says a model without race still flags Black people's unsearched stops
    about twice as often as White people's: the reference's own audit shows it."""
    project = _project("police-search")
    reference = project.reference
    assert isinstance(reference, CodeContender)
    namespace: dict[str, Any] = {"pd": pd, "np": np, "train": project.train, "test": project.test}
    exec(compile(reference.code, "reference.py", "exec"), namespace)
    audit = namespace["audit"]
    ratio = audit.loc["Black", "false_positive_rate"] / audit.loc["White", "false_positive_rate"]
    assert 1.6 < ratio < 3.0


# --- scale: flight-delay -------------------------------------------------------------------


def test_the_flights_table_is_large_and_every_row_is_worth_fitting() -> None:
    entry = _stored("flight-delay")
    assert entry.split["train_rows"] > 200_000 and entry.sizes["private_rows"] > 50_000
    assert entry.se is not None
    everything = _private(entry, "gradient boosting (HistGB)")
    sample = _private(entry, "gradient boosting (HistGB), on a 20,000-row sample")
    assert everything - sample > 3 * entry.se, "the learning curve has not flattened at 20k"
    names = [f.name for f in entry.field]
    assert any("k-nearest" in n and "sample" in n for n in names), "slow models use a sample"


# --- fairness: gss-income ------------------------------------------------------------------


def test_gender_is_for_the_audit_only_and_the_test_surveys_are_later() -> None:
    project = _project("gss-income")
    assert "gender" in project.train and "gender" not in project.test
    assert "realrinc" not in project.train, "the income itself would be the answer"
    assert project.train["year"].max() < project.test["year"].min()


@pytest.mark.slow
def test_a_model_without_gender_overestimates_women_as_the_brief_says() -> None:
    project = _project("gss-income")
    reference = project.reference
    assert isinstance(reference, CodeContender)
    namespace: dict[str, Any] = {"pd": pd, "np": np, "train": project.train, "test": project.test}
    exec(compile(reference.code, "reference.py", "exec"), namespace)
    audit = namespace["audit"]
    over = audit["mean_predicted"] - audit["share_high"]
    assert over["Female"] > 0.03 and abs(over["Male"]) < 0.03


# --- scale: births-by-state ----------------------------------------------------------------


def test_births_are_51_whole_series_and_trees_cannot_carry_the_level_forward() -> None:
    project = _project("births-by-state")
    train, test = project.train, project.test
    assert train["state"].nunique() == test["state"].nunique() == 51
    assert len(train) > 300_000 and train["date"].max() < test["date"].min()
    assert not train.duplicated(["state", "date"]).any(), "split state-days are added up"
    entry = _stored("births-by-state")
    assert entry.se is not None
    raw_calendar = _private(entry, "gradient boosting (Poisson loss)")
    assert raw_calendar - entry.thresholds.reference > 10 * entry.se
    naive = _private(entry, "seasonal naive: 52 weeks before")
    assert naive - entry.thresholds.baseline >= NOTHING_SE * entry.se
