"""The starter notebook: one template for every project.

It runs offline from a workspace folder where data/train.csv, data/test.csv and
data/sample_submission.csv sit. The baseline (the very code the build scored for the bronze
threshold) is wrapped as a function of (train, test), so the notebook can first validate it
the way the test set was cut (a time holdout, grouped, stratified or plain folds) and print
the leaderboard's metric on the held-out rows, then train it on all of train and write
submission.csv.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.model import Project, Recipe
from trackrecord.catalog.skills import SKILLS
from trackrecord.metrics import InputKind, get_metric

FOLDS = 5
HOLDOUT = 0.2  # the share of train, last in time, that a time split holds out

LOAD = """import numpy as np
import pandas as pd

train = pd.read_csv("data/train.csv")
test = pd.read_csv("data/test.csv")
sample = pd.read_csv("data/sample_submission.csv")
print(f"train: {train.shape}, test: {test.shape}")
train.head()"""

LOOK = """train.describe(include="all").T.head(30)"""

CHECK = """submission = baseline(train, test)
assert list(submission.columns) == list(sample.columns), "columns differ from the sample"
assert len(submission) == len(sample), "one row per test row"
submission.to_csv("submission.csv", index=False)
print(f"wrote submission.csv: {len(submission)} rows")
submission.head()"""


def _intro(recipe: Recipe) -> str:
    return (
        f"# {recipe.title}: starter\n\n{recipe.summary}\n\n"
        "This notebook loads the data, validates the **baseline** on part of `train` the way "
        "the test set was cut, then trains it on all of `train` and writes `submission.csv`. "
        "Submit it to see the public score, then beat it. The brief is in `README.md`."
    )


def _baseline(project: Project) -> tuple[str, str, str]:
    """(name, explanation, snippet) of the baseline."""
    baseline = project.baseline
    if isinstance(baseline, CodeContender):
        return baseline.name, baseline.explanation or baseline.name, baseline.code
    return "placeholder", "A valid placeholder submission.", "submission = sample.copy()"


def baseline_function(project: Project) -> str:
    """The baseline snippet as `baseline(train, test) -> submission`.

    A snippet that reads `sample` gets one shaped for the rows it predicts (a validation
    fold is not the test set)."""
    name, _, code = _baseline(project)
    id_column = project.spec.id_column
    body = textwrap.indent(code.strip(), "    ")
    helper = ""
    if re.search(r"\bsample\b", code):
        helper = (
            "def sample_for(rows: pd.DataFrame) -> pd.DataFrame:\n"
            '    """sample_submission.csv\'s columns and placeholder values, for `rows`."""\n'
            f"    values = sample.iloc[0].drop({id_column!r}).to_dict()\n"
            f"    return pd.DataFrame({{{id_column!r}: rows[{id_column!r}].to_numpy(), **values}})"
            "\n\n\n"
        )
        body = "    sample = sample_for(test)\n" + body
    title = name.replace("\\", "/").replace('"', "'").rstrip(".")
    return (
        f"{helper}def baseline(train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:\n"
        f'    """{title}.\n\n'
        '    Fits on `train` and returns a submission for the rows of `test`."""\n'
        f"{body}\n    return submission"
    )


def _truth_and_prediction(project: Project, metric_name: str) -> tuple[str, str, str]:
    """(lines computing `truth`, the prediction expression, extra call arguments)."""
    spec = project.spec
    kind = get_metric(metric_name).kind
    target, col = spec.target, spec.target_columns[0]
    if kind is InputKind.PROBABILITIES and spec.labels is not None and len(spec.labels) == 2:
        truth = (
            f"    # binary probability metrics read 0/1 truth: 1 = {spec.positive!r}\n"
            f"    truth = (rows[{target!r}].astype(str) == {spec.positive!r}).astype(int)\n"
        )
        return truth, f"predicted[{col!r}]", ""
    if kind is InputKind.RISK:  # survival: the metric reads the time and the event together
        answer = list(project.solution_columns or spec.target_columns)
        return f"    truth = rows[{answer!r}]\n", f"predicted[{col!r}]", ""
    if kind is InputKind.MULTILABEL:  # one 0/1 column per label, scored all at once
        labels = list(spec.target_columns)
        return f"    truth = rows[{labels!r}]\n", f"predicted[{labels!r}]", ""
    if kind is InputKind.PROBABILITIES:
        labels = list(spec.target_columns)
        truth = f"    truth = rows[{target!r}].astype(str)\n"
        return truth, f"predicted[{labels!r}]", f", labels={labels!r}"
    truth = f"    truth = rows[{target!r}]\n"
    binary = spec.labels is not None and len(spec.labels) == 2
    if get_metric(metric_name).counts_a_positive_label and binary:
        # (negative, positive), as the leaderboard reads them: F1 counts the positive
        return truth, f"predicted[{col!r}]", f", labels={list(spec.labels or ())!r}"
    if kind is InputKind.SCORES and spec.group_column is not None:
        return truth, f"predicted[{col!r}]", f", groups=rows[{spec.group_column!r}]"
    return truth, f"predicted[{col!r}]", ""


def score_function(project: Project, recipe: Recipe) -> str:
    """`metric` (trackrecord's own, as the leaderboard computes it) and `score(rows,
    submission)`: the metric on rows of train that the model did not see."""
    metric = get_metric(recipe.metric)
    direction = "higher is better" if metric.greater_is_better else "lower is better"
    params = {k: v for k, v in project.metric_params.items() if k in metric.params}
    truth, predicted, extra = _truth_and_prediction(project, recipe.metric)
    id_column = project.spec.id_column
    call = f"metric(truth, {predicted}{extra}{', **params' if params else ''})"
    return (
        f"metric = get_metric({recipe.metric!r})  # the leaderboard's metric: {direction}\n"
        + (f"params = {params!r}  # the leaderboard's metric parameters\n" if params else "")
        + "\n\ndef score(rows: pd.DataFrame, submission: pd.DataFrame) -> float:\n"
        '    """The metric on rows of train held out from fitting, as the leaderboard'
        ' computes it."""\n'
        f"    predicted = submission.set_index({id_column!r}).loc[rows[{id_column!r}]]\n"
        f"{truth}    return {call}\n"
    )


def _time_holdout(time: str) -> str:
    return (
        f"ordered = train.sort_values({time!r}, kind='stable')\n"
        f"start = ordered[{time!r}].iloc[int(len(ordered) * {1 - HOLDOUT:g})]"
        "  # the held-out part begins here\n"
        f"fit = ordered[ordered[{time!r}] < start].reset_index(drop=True)\n"
        f"held_out = ordered[ordered[{time!r}] >= start].reset_index(drop=True)\n"
        "submission = baseline(fit, held_out[test.columns])\n"
        "value = score(held_out, submission)\n"
        f'print(f"fitted on the {{len(fit)}} rows before {{start}}, '
        'scored on the {len(held_out)} from then on")\n'
        'print(f"validation {metric.name}: {value:.4f}")'
    )


def _later_holdout(group: str, order: str) -> str:
    return (
        "rng = np.random.default_rng(0)\n"
        f"counts = train[{group!r}].value_counts()\n"
        f"eligible = np.sort(counts[counts >= 10].index.to_numpy())\n"
        f"chosen = rng.choice(eligible, size=len(eligible) // {FOLDS}, replace=False)\n"
        f"ordered = train.sort_values([{order!r}, {group!r}], kind='stable')\n"
        f"theirs = ordered[ordered[{group!r}].isin(chosen)]\n"
        f"rank = theirs.groupby({group!r}).cumcount()\n"
        f"size = theirs.groupby({group!r})[{group!r}].transform('size')\n"
        "later = theirs[rank >= size // 2]  # each chosen group's later half\n"
        "fit = train.drop(index=later.index).reset_index(drop=True)\n"
        "held_out = later.reset_index(drop=True)\n"
        "submission = baseline(fit, held_out[test.columns])\n"
        "value = score(held_out, submission)\n"
        f'print(f"held out the later half of {{len(chosen)}} {group} groups: '
        '{len(held_out)} rows")\n'
        'print(f"validation {metric.name}: {value:.4f}")'
    )


def _folds(splitter: str, split_args: str) -> str:
    return (
        f"folds = {splitter}\n"
        "scores = []\n"
        f"for k, (fit, held) in enumerate(folds.split({split_args}), 1):\n"
        "    held_out = train.iloc[held].reset_index(drop=True)\n"
        "    submission = baseline(train.iloc[fit].reset_index(drop=True), "
        "held_out[test.columns])\n"
        "    scores.append(score(held_out, submission))\n"
        '    print(f"fold {k}: {metric.name} = {scores[-1]:.4f}")\n'
        'print(f"validation {metric.name}: {np.mean(scores):.4f}'
        f' (sd {{np.std(scores):.4f}} over {FOLDS} folds)")'
    )


def _clusters(project: Project, recipe: Recipe) -> str:
    spec = project.spec
    col = spec.target_columns[0]
    return (
        "from sklearn.metrics import silhouette_score\n"
        "from sklearn.preprocessing import StandardScaler\n\n"
        "submission = baseline(train, test)\n"
        f"clusters = submission.set_index({spec.id_column!r}).loc[test[{spec.id_column!r}], "
        f"{col!r}]\n"
        f'numeric = test.drop(columns=[{spec.id_column!r}]).select_dtypes("number")\n'
        "X = StandardScaler().fit_transform(numeric.fillna(numeric.median()))\n"
        "value = silhouette_score(X, clusters)\n"
        f'print(f"{{clusters.nunique()}} clusters on {{len(test)}} test rows '
        f'({recipe.metric} needs the hidden labels)")\n'
        'print(f"validation silhouette: {value:.4f}")'
    )


def _scheme(project: Project) -> tuple[str, str, str]:
    """(why, the splitter's import, the code) of the validation that matches the split."""
    spec, split = project.spec, project.split
    time = split.column  # Spec.time_column is set from it
    if split.kind == "time" and time:
        why = (
            "The test set comes after `train` in time, so the baseline is fitted on the first "
            f"{1 - HOLDOUT:.0%} of `train` in `{time}` order and scored on the last "
            f"{HOLDOUT:.0%}: shuffled folds would let it learn from the future."
        )
        return why, "", _time_holdout(time)
    if split.kind == "group-later" and split.column and split.order:
        why = (
            f"The test set is what some `{split.column}` groups did next: the later half of "
            f"their rows in `{split.order}` order, while their earlier rows are in `train`. "
            f"So the baseline is fitted without the later half of one in {FOLDS} groups and "
            "scored on it: shuffled folds would mix past and future of the same group."
        )
        return why, "", _later_holdout(split.column, split.order)
    if split.kind == "group" and split.column:
        why = (
            f"The test set holds other `{split.column}` groups than `train`, so each of "
            f"{FOLDS} folds holds out whole groups (`GroupKFold`): a model must not be scored "
            "on a group it has seen."
        )
        splitter = f"GroupKFold(n_splits={FOLDS})"
        return why, "GroupKFold", _folds(splitter, f"train, groups=train[{split.column!r}]")
    shuffled = f"n_splits={FOLDS}, shuffle=True, random_state=0"
    if split.kind == "stratified":
        why = (
            f"The test set was drawn at random, stratified on `{spec.target}`, so the "
            f"baseline is scored on {FOLDS} stratified folds of `train`."
        )
        code = _folds(f"StratifiedKFold({shuffled})", f"train, train[{spec.target!r}]")
        return why, "StratifiedKFold", code
    why = (
        "The test set was drawn at random, so the baseline is scored on "
        f"{FOLDS} shuffled folds of `train`."
    )
    return why, "KFold", _folds(f"KFold({shuffled})", "train")


def validation(project: Project, recipe: Recipe) -> tuple[str, str]:
    """(the markdown that explains it, the code) of the validation cell."""
    if project.validation_code:
        text = (
            "## Validation\n\nThis project's own validation: it holds out part of `train` the "
            "way the test set was cut, runs the baseline on the rest, and scores the held-out "
            "part with the leaderboard's metric (trackrecord's own, so the number is on the "
            "leaderboard's scale)."
        )
        imports = "from trackrecord.metrics import get_metric\n\n"
        return text, imports + score_function(project, recipe) + "\n\n" + project.validation_code
    if project.spec.target not in project.train.columns:
        return (
            "## Validation\n\nThere are no labels in `train`, so no part of it can be scored "
            f"with **{recipe.metric}**. A label-free check instead: the silhouette of the "
            "baseline's clusters on the scaled numeric features of `test` (from -1 to 1; "
            "higher means tighter, better separated clusters). It is not the leaderboard's "
            "metric: use it to compare your own pipelines.",
            _clusters(project, recipe),
        )
    why, splitter, code = _scheme(project)
    imports = f"from sklearn.model_selection import {splitter}\n" if splitter else ""
    imports += "from trackrecord.metrics import get_metric\n\n"
    text = (
        f"## Validation\n\n{why} The metric is trackrecord's own, so the number is on the "
        "leaderboard's scale."
    )
    return text, imports + score_function(project, recipe) + "\n\n" + code


def _next_steps(project: Project, recipe: Recipe) -> str:
    skills = "\n".join(f"- **{s}**: {SKILLS[s]}" for s in recipe.skills)
    how = project.brief.validation.strip()
    return (
        "## Your turn\n\nThe skills this project trains:\n\n"
        f"{skills}\n\n"
        + (f"**How to validate.** {how}\n\n" if how else "")
        + "Never tune on the test set. The reference score is reachable with careful "
        "scikit-learn work: try to reproduce it without looking anything up."
    )


def _cell(i: int, kind: str, source: str) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "id": f"cell-{i}", "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def starter_notebook(project: Project, recipe: Recipe) -> dict[str, Any]:
    """The notebook as nbformat 4 JSON. Fixed cell ids keep the file reproducible."""
    _, explanation, _ = _baseline(project)
    how, validate = validation(project, recipe)
    cells = [
        ("markdown", _intro(recipe)),
        ("code", LOAD),
        ("code", LOOK),
        (
            "markdown",
            f"## The baseline\n\n{explanation}\n\nIt is a function of `(train, test)`, so the "
            "same code can be validated on part of `train`, then trained on all of it.",
        ),
        ("code", baseline_function(project)),
        ("markdown", how),
        ("code", validate),
        ("markdown", "## Train on all of train and write the submission"),
        ("code", CHECK),
        ("markdown", _next_steps(project, recipe)),
    ]
    return {
        "cells": [_cell(i, kind, source) for i, (kind, source) in enumerate(cells)],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def starter_files(project: Project, recipe: Recipe) -> dict[str, str]:
    """The starter/ folder of the bundle."""
    return {"starter.ipynb": json.dumps(starter_notebook(project, recipe), indent=1) + "\n"}
