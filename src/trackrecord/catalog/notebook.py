"""The starter notebook: one template for every project.

It runs offline from a workspace folder where data/train.csv, data/test.csv and
data/sample_submission.csv sit, trains the baseline (the very code the build scored for the
bronze threshold) and writes submission.csv.
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

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


def starter_notebook(project: Project, recipe: Recipe) -> NotebookNode:
    """The notebook as an nbformat node (version 4)."""
    explanation, code = _baseline_code(project)
    nb = new_notebook(
        cells=[
            new_markdown_cell(_intro(recipe)),
            new_code_cell(LOAD),
            new_code_cell(LOOK),
            new_markdown_cell(f"## The baseline\n\n{explanation}"),
            new_code_cell(code.rstrip()),
            new_code_cell(CHECK),
            new_markdown_cell(_next_steps(recipe)),
        ]
    )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"  # fixed ids keep the file byte-for-byte reproducible
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def starter_files(project: Project, recipe: Recipe) -> dict[str, str]:
    """The starter/ folder of the bundle."""
    return {"starter.ipynb": nbformat.writes(starter_notebook(project, recipe))}
