"""The learner's workspace: the public data, the brief as README.md, and a starter notebook.

Only `public/` and `starter/` of a bundle are ever read here; `private/` (the answer key)
never is. Files already in the folder are kept as they are, so running `start` again never
overwrites the learner's work.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trackrecord.bundle import Bundle, Thresholds
from trackrecord.metrics import get_metric
from trackrecord.service.grading import resolve_thresholds
from trackrecord.service.types import ProjectInfo

STARTER = "starter.ipynb"
DATA = "data"


def write_workspace(bundle: Bundle, dest: Path, info: ProjectInfo) -> tuple[list[str], list[str]]:
    """Write the workspace into `dest`; returns (files written, files kept), relative."""
    dest.mkdir(parents=True, exist_ok=True)
    planned: dict[str, Path | str] = {}
    for path in bundle.public_files():
        planned[f"{DATA}/{path.relative_to(bundle.public_dir).as_posix()}"] = path
    planned["README.md"] = readme(bundle, info)
    if bundle.starter_dir.is_dir():
        for path in sorted(p for p in bundle.starter_dir.rglob("*") if p.is_file()):
            planned[path.relative_to(bundle.starter_dir).as_posix()] = path
    if STARTER not in planned:
        planned[STARTER] = default_notebook(bundle)
    written: list[str] = []
    kept: list[str] = []
    for rel, content in planned.items():
        target = dest / rel
        if target.exists():
            kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
        written.append(rel)
    return written, kept


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.6g}"


def medal_table(thresholds: Thresholds, greater_is_better: bool) -> list[str]:
    """The medal rows of the README: the public lines, what a public score is compared
    with while the learner works (the private lines are shown only after finalizing)."""
    beats = "above" if greater_is_better else "below"
    reach = "or higher" if greater_is_better else "or lower"
    base, ref, gold = thresholds.baseline, thresholds.reference, thresholds.gold
    rows = [
        ("Bronze", base, f"{beats} {_fmt(base)} (beat the baseline)"),
        ("Silver", ref, f"{_fmt(ref)} {reach} (reach the reference)"),
        ("Gold", gold, f"{beats} {_fmt(gold)} (beat the reference by the project's margin)"),
    ]
    lines = ["| Medal | Public score (estimate) |", "| --- | --- |"]
    lines += [f"| {name} | {text} |" for name, value, text in rows if value is not None]
    return lines if len(lines) > 2 else ["This project sets no public medal lines."]


def _brief(description: str, title: str) -> str:
    lines = description.strip().splitlines()
    if lines and lines[0].lstrip("# ").strip() == title.strip():
        lines = lines[1:]  # the README has its own title
    return "\n".join(lines).strip() or "(This project has no written brief.)"


def _elsewhere(siblings: Sequence[str]) -> str:
    if not siblings:
        return "pick another project of the same task in `trackrecord catalog`"
    names = ", ".join(f"`{s}`" for s in siblings)
    return f"{names} (start it with `trackrecord start {siblings[0]}`)"


def readme(bundle: Bundle, info: ProjectInfo) -> str:
    """README.md: the brief, the four steps, the metric and the public medal lines.

    Every number quoted is on the public split, the one a submission's score is on while
    the learner works; the private lines appear after finalizing (`trackrecord status ID`).
    """
    ch = bundle.challenge
    gib = get_metric(ch.metric).greater_is_better
    public = resolve_thresholds(ch.public_thresholds, ch.gold_margin, gib)  # the bundle's own
    direction = "higher is better" if gib else "lower is better"
    columns = ", ".join(f"`{c}`" for c in ch.submission_columns)
    parts = [
        f"# {info.title}",
        f"Project `{info.id}` · {info.task} · level {info.level}"
        + (f" · skills: {', '.join(info.skills)}" if info.skills else ""),
        "## The brief",
        _brief(bundle.description, info.title),
        "## Four steps",
        "\n".join(
            [
                "1. **Read the brief** above, then look at the files in `data/`.",
                "2. **Run the starter and experiment**: open `starter.ipynb`; it writes "
                f"`submission.csv`. Submit with `trackrecord submit {info.id} submission.csv` "
                f'or, in a notebook, `tr.submit("{info.id}", predictions)`.',
                "3. **Reproduce the reference score without looking**: the reference "
                f"pipeline scores {_fmt(public.reference)} on the public split (the score "
                "`submit` shows); get there on your own. Its code is shown once you "
                f"finalize (`trackrecord status {info.id}`).",
                "4. **Apply it elsewhere**: take the same technique to "
                f"{_elsewhere(ch.apply_elsewhere)}.",
            ]
        ),
        "## Scoring",
        f"Metric: **{ch.metric}** ({direction}). A submission has the columns {columns}, "
        "one row per row of `data/test.csv`, like `data/sample_submission.csv`.",
        "Each submission gets a public score (part of the test rows) at once. When you "
        f"finalize (`trackrecord finalize {info.id}`) your best picks are scored on the "
        "other, private part, and the medal is judged on that private score against the "
        "private lines (the same pipelines scored on the private part). Until then, compare "
        "your public score with the public lines below: they are an estimate, and the "
        "private lines are shown after you finalize.",
        f"Submissions per day (UTC): {ch.limits.per_day}. Final picks: {ch.limits.final_picks}.",
        "\n".join(medal_table(public, gib)),
    ]
    return "\n\n".join(parts) + "\n"


def _cell(kind: str, source: str, index: int) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "id": f"cell-{index}", "metadata": {}}
    cell["source"] = source
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def default_notebook(bundle: Bundle) -> str:
    """A minimal starter for bundles that ship none: load the data, write a valid file."""
    sources = [
        ("markdown", f"# {bundle.challenge.title}: starter\n\nRead `README.md` first."),
        (
            "code",
            "import pandas as pd\n\n"
            'train = pd.read_csv("data/train.csv")\n'
            'test = pd.read_csv("data/test.csv")\n'
            "train.head()",
        ),
        (
            "markdown",
            "The sample submission has the right shape: replace its predictions with your "
            "model's, then submit `submission.csv`.",
        ),
        (
            "code",
            'submission = pd.read_csv("data/sample_submission.csv")\n'
            'submission.to_csv("submission.csv", index=False)\n'
            "submission.head()",
        ),
    ]
    notebook = {
        "cells": [_cell(kind, text, i) for i, (kind, text) in enumerate(sources)],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1) + "\n"
