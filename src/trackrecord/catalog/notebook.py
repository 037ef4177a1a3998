"""The starter notebook: one template for every project.

It runs offline from a workspace folder where data/train.csv, data/test.csv and
data/sample_submission.csv sit, trains the baseline (the very code the build scored for the
bronze threshold) and writes submission.csv.
"""

from __future__ import annotations

import json
from typing import Any

from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.model import Project, Recipe
from trackrecord.catalog.skills import SKILLS

LOAD = """import numpy as np
import pandas as pd

train = pd.read_csv("data/train.csv")
test = pd.read_csv("data/test.csv")
sample = pd.read_csv("data/sample_submission.csv")
print(f"train: {train.shape}, test: {test.shape}")
train.head()"""

LOOK = """train.describe(include="all").T.head(30)"""

CHECK = """assert list(submission.columns) == list(sample.columns), "columns differ from the sample"
assert len(submission) == len(sample), "one row per test row"
submission.to_csv("submission.csv", index=False)
print(f"wrote submission.csv: {len(submission)} rows")
submission.head()"""


def _intro(recipe: Recipe) -> str:
    return (
        f"# {recipe.title}: starter\n\n{recipe.summary}\n\n"
        "This notebook loads the data, trains the **baseline** and writes `submission.csv`. "
        "Submit it to see the public score, then beat it. The brief is in `README.md`."
    )


def _baseline_code(project: Project) -> tuple[str, str]:
    baseline = project.baseline
    if isinstance(baseline, CodeContender):
        return baseline.explanation or baseline.name, baseline.code
    return "A valid placeholder submission.", "submission = sample.copy()"


def _next_steps(recipe: Recipe) -> str:
    skills = "\n".join(f"- **{s}**: {SKILLS[s]}" for s in recipe.skills)
    return (
        "## Your turn\n\nThe skills this project trains:\n\n"
        f"{skills}\n\n"
        "Validate on folds of `train` (never on the test set), then submit. The reference "
        "score is reachable with careful scikit-learn work: try to reproduce it without "
        "looking anything up."
    )


def _cell(i: int, kind: str, source: str) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "id": f"cell-{i}", "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def starter_notebook(project: Project, recipe: Recipe) -> dict[str, Any]:
    """The notebook as nbformat 4 JSON. Fixed cell ids keep the file reproducible."""
    explanation, code = _baseline_code(project)
    cells = [
        ("markdown", _intro(recipe)),
        ("code", LOAD),
        ("code", LOOK),
        ("markdown", f"## The baseline\n\n{explanation}"),
        ("code", code.rstrip()),
        ("code", CHECK),
        ("markdown", _next_steps(recipe)),
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
