"""description.md: the learner's brief, from the recipe's words and the data itself.

The four learning steps and the medal thresholds are added by the workspace writer; this
file describes the problem only.
"""

from __future__ import annotations

import pandas as pd

from trackrecord.bundle import USAGE
from trackrecord.catalog.model import Project, Recipe
from trackrecord.metrics import InputKind, get_metric

MAX_COLUMN_ROWS = 40

_SUBMISSION = {
    InputKind.LABELS: "the predicted label for each test row",
    InputKind.PROBABILITIES: "predicted probabilities",
    InputKind.VALUES: "a predicted value for each test row",
    InputKind.SCORES: "a score for each test row; only the order within each group matters",
    InputKind.CLUSTERS: "a cluster number for each test row; only which rows share a cluster"
    " matters, not the numbers themselves",
    InputKind.RISK: "a risk score for each test row: higher means the event is expected"
    " sooner; only the order of the scores matters",
    InputKind.MULTILABEL: "0 or 1 in each label column: 1 where the label applies to the row",
}


def _kind_of(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "yes/no"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    if series.astype(str).str.len().mean() > 40:
        return "text"
    return "category"


def _meaning(project: Project, column: str) -> str:
    spec = project.spec
    if column == spec.id_column:
        return "row id: join your predictions to it"
    meaning = project.brief.columns.get(column, "")
    if column == spec.target:
        meaning = f"**the target**: {meaning}" if meaning else "**the target**"
    return meaning.replace("|", "\\|")


def columns_table(project: Project) -> str:
    """One line per train column: type, share missing, and what it means."""
    train, spec = project.train, project.spec
    lines = ["| column | type | missing | meaning |", "|---|---|---|---|"]
    described = [c for c in train.columns if c in project.brief.columns and c != spec.target]
    rest = [
        c for c in train.columns if c not in described and c not in (spec.id_column, spec.target)
    ]
    ends = [c for c in (spec.target,) if c in train.columns]
    shown = [spec.id_column, *described, *rest]
    if len(shown) > MAX_COLUMN_ROWS:
        shown = shown[:MAX_COLUMN_ROWS]
    for column in [*shown, *ends]:
        missing = f"{train[column].isna().mean():.0%}"
        kind = _kind_of(train[column])
        lines.append(f"| `{column}` | {kind} | {missing} | {_meaning(project, column)} |")
    hidden = len(train.columns) - len(shown) - len(ends)
    if hidden > 0:
        lines.append(f"| ... | | | and {hidden} more columns |")
    return "\n".join(lines)


def _submission_section(project: Project, recipe: Recipe) -> str:
    spec = project.spec
    kind = get_metric(recipe.metric).kind
    what = _SUBMISSION[kind]
    if kind is InputKind.PROBABILITIES and spec.labels is not None:
        if len(spec.labels) == 2:
            what = f"the probability that `{spec.target}` is `{spec.positive}`"
        else:
            what = "one probability per class, in columns named after the classes"
    cols = ", ".join(f"`{c}`" for c in (spec.id_column, *spec.target_columns))
    return (
        f"A CSV file with one row per test row and exactly these columns: {cols}. "
        f"The prediction column(s) hold {what}. `sample_submission.csv` shows the format "
        "with placeholder values."
    )


def _split_note(recipe: Recipe) -> str:
    if recipe.task == "time-series-forecasting":
        return "\nThe public rows are the start of the forecast horizon, the private rows the rest."
    if recipe.task == "recommendation-ranking" and recipe.metric in ("ndcg_at_k", "map_at_k"):
        return "\nWhole users are public or private: a user's list is never split."
    return ""


def _split_why(project: Project) -> str:
    why = project.brief.split_why.strip()
    return f"\n\n{why}" if why else ""


def _teaching(project: Project) -> str:
    """The Pitfalls and How to validate sections, each only when the recipe gives it."""
    brief = project.brief
    parts = []
    if brief.pitfalls:
        bullets = "\n".join(f"- {p.strip()}" for p in brief.pitfalls)
        parts.append(f"## Pitfalls\n\n{bullets}\n\n")
    if brief.validation.strip():
        parts.append(f"## How to validate\n\n{brief.validation.strip()}\n\n")
    return "".join(parts)


def _train_has(project: Project) -> str:
    if project.spec.target in project.train.columns:
        return f"the features and the target `{project.spec.target}`"
    return "and the features only: there are no labels to learn from"


def description(project: Project, recipe: Recipe) -> str:
    """The full description.md for a built project."""
    brief, spec = project.brief, project.spec
    metric = get_metric(recipe.metric)
    direction = "higher is better" if metric.greater_is_better else "lower is better"
    n_public = int((project.answers[USAGE] == "Public").sum())
    share = n_public / len(project.answers)
    split_note, teaching = _split_note(recipe) + _split_why(project), _teaching(project)
    return f"""# {recipe.title}

{recipe.summary}

## The data

{brief.about}

Source: {brief.source}

## What to predict

{brief.target}

## How you are scored

The metric is **{recipe.metric}** ({direction}). {brief.metric_why}

The test set has {len(project.test)} rows. About {share:.0%} of them score the public
leaderboard you see after each submission; the other {1 - share:.0%} make up the private
leaderboard, revealed when you finalize: that score decides your medal.{split_note}

{teaching}## Files

- `train.csv`: {len(project.train)} rows with the id column `{spec.id_column}`,
  {_train_has(project)}.
- `test.csv`: {len(project.test)} rows with the id and the same features, without the target.
- `sample_submission.csv`: a valid submission with placeholder values.

## Submission format

{_submission_section(project, recipe)}

## Columns of train.csv

{columns_table(project)}
"""
