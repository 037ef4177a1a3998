"""The brief's teaching sections and the starter notebook's validation cell.

Small synthetic projects, one per split kind (random, stratified, time, group) and one
without labels (clustering), are built into bundles; their starter notebooks are executed
and the metric the validation cell prints is checked against a value computed here on the
same folds with scikit-learn's metrics, not trackrecord's.
"""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from sklearn.datasets import make_blobs
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from trackrecord.bundle import Bundle
from trackrecord.catalog import Brief, Project
from trackrecord.catalog import splits as sp
from trackrecord.catalog.baselines import (
    kmeans_baseline,
    mean_by_key_baseline,
    model_baseline,
    seasonal_naive_baseline,
)
from trackrecord.catalog.build import write_project
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.describe import description
from trackrecord.catalog.model import Recipe, SplitInfo
from trackrecord.catalog.notebook import FOLDS, HOLDOUT, starter_notebook
from trackrecord.catalog.prepare import Prepared, assemble, supervised, unsupervised
from trackrecord.scoring import score

LOGISTIC = "from sklearn.linear_model import LogisticRegression"
PRINTED = re.compile(r"^validation (\S+): (-?\d+\.\d+)", re.MULTILINE)
DECIMALS = 4  # the validation cell prints the metric with four decimals


def _recipe(rid: str, task: str, metric: str, build: Callable[[], Project]) -> Recipe:
    return Recipe(
        id=rid,
        title=f"Synthetic {rid}",
        task=task,
        metric=metric,
        level=1,
        skills=("baselines",),
        apply_elsewhere=(),
        summary="A synthetic project for the starter's tests.",
        gold_margin=0.01,
        version="1",
        build=build,
    )


def _brief(**teaching: object) -> Brief:
    words: dict[str, object] = {
        "source": "numpy, seeded",
        "about": "Synthetic rows.",
        "target": "The target.",
        "metric_why": "Because.",
        "columns": {"x1": "first feature", "x2": "second feature"},
    }
    return Brief(**{**words, **teaching})  # type: ignore[arg-type]


def _project(data: Prepared, baseline: CodeContender) -> Project:
    return data.project(brief=_brief(), baseline=baseline, reference=baseline, field=())


def _features(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})


def random_binary() -> Project:
    """Random split, binary probabilities (roc_auc reads 0/1 truth)."""
    df = _features(700, 1)
    rng = np.random.default_rng(2)
    logit = 1.5 * df["x1"] - df["x2"] + rng.normal(scale=1.0, size=len(df))
    df["label"] = np.where(logit > 0, "yes", "no")
    data = supervised(sp.with_ids(df), metric="roc_auc", target="label", test_size=200, seed=3)
    baseline = model_baseline(
        data.spec, name="baseline: logistic on x1", model="LogisticRegression()", imports=LOGISTIC,
        numeric=("x1",),
    )  # fmt: skip
    return _project(data, baseline)


def stratified_multiclass() -> Project:
    """Stratified split, multiclass probabilities (log_loss with the class order)."""
    df = _features(700, 4)
    rng = np.random.default_rng(5)
    scores = np.column_stack([df["x1"], df["x2"], -df["x1"] - df["x2"]])
    scores += rng.gumbel(size=scores.shape)
    df["kind"] = np.array(["a", "b", "c"])[scores.argmax(axis=1)]
    data = supervised(
        sp.with_ids(df), metric="log_loss", target="kind", test_size=200, seed=6, stratify=True
    )
    baseline = model_baseline(
        data.spec, name="baseline: logistic", model="LogisticRegression()", imports=LOGISTIC,
        numeric=("x1", "x2"),
    )  # fmt: skip
    return _project(data, baseline)


def time_forecast() -> Project:
    """Time split on `day`, MASE with a scale from the history, the seasonal naive baseline."""
    rng = np.random.default_rng(7)
    day = np.arange(600)
    y = 100 + 0.05 * day + 10 * np.sin(2 * np.pi * day / 7) + rng.normal(scale=2, size=600)
    df = sp.with_ids(pd.DataFrame({"day": day, "weekday": day % 7, "load": y}))
    split = sp.time_split(df, order="day", test_rows=150)
    history = split.train["load"].to_numpy()
    scale = float(np.mean(np.abs(history[7:] - history[:-7])))
    data = assemble(
        split,
        sp.usage(split.test, seed=0, ordered=True),
        metric="mase",
        target="load",
        metric_params={"scale": scale},
        split_info=SplitInfo("time", "day"),
    )
    return _project(data, seasonal_naive_baseline(data.spec, time="day", period=7, unit="week"))


def grouped_ranking() -> Project:
    """Group split on `user`, NDCG@5 within each user (the metric takes the groups)."""
    rng = np.random.default_rng(8)
    quality = rng.normal(size=40)
    rows = [
        (user, item, float(np.clip(np.round(3 + quality[item] + rng.normal()), 1, 5)))
        for user in range(80)
        for item in rng.choice(40, size=12, replace=False)
    ]
    df = sp.with_ids(pd.DataFrame(rows, columns=["user", "item", "stars"]))
    split = sp.group_split(df, group="user", test_size=0.3, seed=9)
    data = assemble(
        split,
        sp.usage(split.test, seed=9, group="user"),
        metric="ndcg_at_k",
        target="stars",
        group="user",
        metric_params={"k": 5},
        prediction="score",
        split_info=SplitInfo("group", "user"),
    )
    return _project(data, mean_by_key_baseline(data.spec, key="item"))


def clusters() -> Project:
    """No labels in train: the validation cell prints a silhouette."""
    X, blob = make_blobs(600, n_features=3, centers=3, cluster_std=2.0, random_state=10)
    df = pd.DataFrame(X, columns=["f1", "f2", "f3"]).assign(blob=blob)
    data = unsupervised(
        sp.with_ids(df), metric="adjusted_rand", target="blob", test_size=200, seed=11
    )
    return _project(data, kmeans_baseline(data.spec, features=["f1", "f2", "f3"], k=3))


@dataclass(frozen=True)
class Case:
    build: Callable[[], Project]
    task: str
    metric: str


CASES = {
    "random": Case(random_binary, "binary-classification", "roc_auc"),
    "stratified": Case(stratified_multiclass, "multiclass-classification", "log_loss"),
    "time": Case(time_forecast, "time-series-forecasting", "mase"),
    "group": Case(grouped_ranking, "recommendation-ranking", "ndcg_at_k"),
    "clusters": Case(clusters, "clustering", "adjusted_rand"),
}


def _bundle(kind: str, tmp_path: Path) -> tuple[Project, Recipe, Bundle]:
    case = CASES[kind]
    recipe = _recipe(f"synthetic-{kind}", case.task, case.metric, case.build)
    project = recipe.build()
    return project, recipe, write_project(recipe, project, tmp_path / recipe.id, None)


def run_starter(bundle: Bundle, workspace: Path) -> str:
    """Execute the starter in a fresh workspace; the validation cell's printed output."""
    from nbclient import NotebookClient

    shutil.copytree(bundle.public_dir, workspace / "data")
    nb = nbformat.read(bundle.starter_dir / "starter.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(workspace)}}
    ).execute()
    printed = [
        "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        for cell in nb.cells
        if cell.cell_type == "code" and "validation" in cell.source
    ]
    assert len(printed) == 1, "exactly one validation cell prints the metric"
    return printed[0]


# --- the value the validation cell must print, computed independently ---------------------


def _predict(project: Project, fit: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    """The baseline through the build's own path (CodeContender), aligned to `held`."""
    test = held[project.test.columns].reset_index(drop=True)
    submission = project.baseline.predict(fit.reset_index(drop=True), test, project.spec)
    return submission.set_index(project.spec.id_column).loc[held[project.spec.id_column]]


def _sklearn_metric(project: Project, metric: str, held: pd.DataFrame, pred: pd.DataFrame) -> float:
    spec = project.spec
    truth = held[spec.target].to_numpy()
    if metric == "roc_auc":
        return float(skm.roc_auc_score(truth == spec.positive, pred[spec.target_columns[0]]))
    if metric == "log_loss":
        labels = list(spec.target_columns)
        return float(skm.log_loss(truth, pred[labels].to_numpy(), labels=labels))
    if metric == "mase":
        error = skm.mean_absolute_error(truth, pred[spec.target_columns[0]])
        return float(error / project.metric_params["scale"])
    assert metric == "ndcg_at_k" and spec.group_column is not None
    frame = pd.DataFrame({"g": held[spec.group_column].to_numpy(), "t": truth})
    frame["s"] = pred[spec.target_columns[0]].to_numpy()
    per_query = [
        skm.ndcg_score([q["t"]], [q["s"]], k=project.metric_params["k"])
        for _, q in frame.groupby("g")
        if q["t"].any()
    ]
    return float(np.mean(per_query))


def _folds(project: Project) -> list[tuple[np.ndarray, np.ndarray]]:
    train, spec, split = project.train, project.spec, project.split
    shuffled = {"n_splits": FOLDS, "shuffle": True, "random_state": 0}
    if split.kind == "group":
        return list(GroupKFold(FOLDS).split(train, groups=train[split.column]))
    if split.kind == "stratified":
        return list(StratifiedKFold(**shuffled).split(train, train[spec.target]))  # type: ignore[arg-type]
    return list(KFold(**shuffled).split(train))  # type: ignore[arg-type]


def expected(project: Project, metric: str) -> tuple[float, float]:
    """(the validation value, its standard error) from this test's own computation."""
    train = project.train
    if project.split.kind == "time":
        time = project.split.column
        ordered = train.sort_values(time, kind="stable")
        start = ordered[time].iloc[int(len(ordered) * (1 - HOLDOUT))]
        fit, held = ordered[ordered[time] < start], ordered[ordered[time] >= start]
        pred = _predict(project, fit, held)
        errors = np.abs(held[project.spec.target].to_numpy() - pred.iloc[:, 0].to_numpy())
        se = float(errors.std(ddof=1) / math.sqrt(len(errors)) / project.metric_params["scale"])
        return _sklearn_metric(project, metric, held, pred), se
    values = []
    for fit_idx, held_idx in _folds(project):
        fit, held = train.iloc[fit_idx], train.iloc[held_idx]
        values.append(_sklearn_metric(project, metric, held, _predict(project, fit, held)))
    return float(np.mean(values)), float(np.std(values, ddof=1) / math.sqrt(len(values)))


def expected_silhouette(project: Project) -> tuple[float, float]:
    spec = project.spec
    submission = project.baseline.predict(project.train, project.test, spec)
    labels = submission.set_index(spec.id_column).loc[project.test[spec.id_column]].iloc[:, 0]
    X = StandardScaler().fit_transform(project.test.drop(columns=[spec.id_column]))
    per_row = skm.silhouette_samples(X, labels)
    return float(per_row.mean()), float(per_row.std(ddof=1) / math.sqrt(len(per_row)))


# --- tests -----------------------------------------------------------------------------------

RANGES = {  # (low, high) a sensible baseline lands in, exclusive
    "roc_auc": (0.5, 1.0),
    "log_loss": (0.0, math.log(3)),  # better than the uniform guess
    "mase": (0.0, 3.0),
    "ndcg_at_k": (0.0, 1.0),
    "silhouette": (0.0, 1.0),
}


# Each case starts a kernel and fits the baseline six times: the fastest one runs by default.
EXECUTED = [k if k == "time" else pytest.param(k, marks=pytest.mark.slow) for k in sorted(CASES)]


@pytest.mark.parametrize("kind", EXECUTED)
def test_the_validation_cell_prints_the_metric_of_the_split(kind: str, tmp_path: Path) -> None:
    project, recipe, bundle = _bundle(kind, tmp_path)
    printed = run_starter(bundle, tmp_path / "workspace")
    found = PRINTED.findall(printed)
    assert len(found) == 1, printed
    name, value = found[0][0], float(found[0][1])
    if kind == "clusters":
        assert name == "silhouette" and "adjusted_rand needs the hidden labels" in printed
        want, se = expected_silhouette(project)
    else:
        assert name == recipe.metric
        want, se = expected(project, recipe.metric)
    low, high = RANGES[name]
    assert low < value < high, (name, value)
    # Rounding to four decimals, plus a tenth of the estimate's own noise: the notebook
    # refits the same models in another process, so BLAS may differ in the last bits.
    assert abs(value - want) <= 0.5 * 10**-DECIMALS + 0.1 * se, (value, want, se)
    # The rest of the notebook trained on all of train and wrote a valid submission.
    result = score(bundle, tmp_path / "workspace" / "submission.csv")
    assert result.rows == len(project.test)


def test_each_split_kind_gets_its_own_validation() -> None:
    def code(kind: str) -> str:
        project = CASES[kind].build()
        recipe = _recipe(kind, CASES[kind].task, CASES[kind].metric, CASES[kind].build)
        nb = starter_notebook(project, recipe)
        return "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "code")

    assert "sort_values('day'" in code("time") and "KFold" not in code("time")
    assert "GroupKFold(n_splits=5)" in code("group") and "groups=train['user']" in code("group")
    assert "StratifiedKFold(" in code("stratified")
    assert "KFold(" in code("random") and "Stratified" not in code("random")
    assert "silhouette_score" in code("clusters") and "get_metric" not in code("clusters")
    # The leaderboard's own metric, with its parameters and the kinds its inputs take.
    assert "params = {'scale':" in code("time")
    assert "groups=rows['user']" in code("group") and "{'k': 5}" in code("group")
    assert "== 'yes').astype(int)" in code("random")
    assert "labels=['a', 'b', 'c']" in code("stratified")
    # Snippets that read `sample` get one shaped for the rows they predict.
    assert "sample = sample_for(test)" in code("stratified")
    assert "sample_for" not in code("random")


def test_the_notebook_quotes_the_recipes_validation_advice() -> None:
    project = random_binary()
    recipe = _recipe("r", "binary-classification", "roc_auc", random_binary)
    advice = "Use five stratified folds and look at the spread."
    nb = starter_notebook(replace(project, brief=_brief(validation=advice)), recipe)
    text = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    assert advice in text
    assert "Validate on folds of" not in text


def test_description_renders_pitfalls_validation_and_the_split_reason() -> None:
    project = time_forecast()
    recipe = _recipe("t", "time-series-forecasting", "mase", time_forecast)
    brief = _brief(
        pitfalls=("Shuffled folds leak the future.", "Holidays break the weekly pattern."),
        validation="Hold out the last weeks of train.",
        split_why="Forecasts are used on days that have not happened yet.",
        columns={"day": "days since the start", "weekday": "0 = Monday", "load": "the load"},
    )
    text = description(replace(project, brief=brief), recipe)
    assert "## Pitfalls\n\n- Shuffled folds leak the future.\n- Holidays break" in text
    assert "## How to validate\n\nHold out the last weeks of train." in text
    scored = text.split("## How you are scored")[1].split("## Pitfalls")[0]
    assert "Forecasts are used on days that have not happened yet." in scored
    assert "| `weekday` | number | 0% | 0 = Monday |" in text
    assert "| `load` | number | 0% | **the target**: the load |" in text
    assert text.count("| `load` |") == 1  # the brief describes the target: one row, last


def test_description_omits_teaching_sections_a_recipe_does_not_give() -> None:
    project = random_binary()
    recipe = _recipe("r", "binary-classification", "roc_auc", random_binary)
    text = description(project, recipe)
    assert "## Pitfalls" not in text and "## How to validate" not in text
    assert "## Files" in text and "\n\n\n" not in text
