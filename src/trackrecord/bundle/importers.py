"""Importers: turn other competition layouts into a version-1 bundle.

Importers register by name through `register_importer`, the same way a plugin would; the
built-ins are `kaggle` (a Kaggle-style folder) and `hf` (a Hugging Face `competitions`
solution.csv with a public/private `split` column).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trackrecord.bundle.model import Challenge, sort_labels
from trackrecord.bundle.writer import USAGE, write_bundle
from trackrecord.errors import InvalidBundle, NotFound, Problem
from trackrecord.metrics import InputKind, get_metric


@dataclass(frozen=True)
class ImportOptions:
    metric: str
    dest: Path
    challenge_id: str | None = None
    title: str | None = None
    task: str | None = None
    from_train: bool = False
    seed: int = 0
    test_fraction: float = 0.2
    public_fraction: float = 0.3


Importer = Callable[[Path, ImportOptions], Path]
_IMPORTERS: dict[str, Importer] = {}


def register_importer(name: str, importer: Importer) -> None:
    if name in _IMPORTERS:
        raise ValueError(f"importer {name!r} is already registered")
    _IMPORTERS[name] = importer


def run_importer(name: str, source: Path, options: ImportOptions) -> Path:
    try:
        importer = _IMPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(_IMPORTERS))
        raise NotFound(f"unknown importer {name!r}; known importers: {known}") from None
    return importer(source, options)


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InvalidBundle(
            f"{path.name} is missing",
            problems=[Problem("required file is missing", file=path.name)],
        )
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype_backend="pyarrow")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidBundle(f"{path.name} cannot be read as CSV: {exc}") from None


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64] or "challenge"


def _infer_task(metric_name: str, truth: pd.Series) -> str:
    kind = get_metric(metric_name).kind
    if kind in (InputKind.VALUES,):
        return "regression"
    if kind in (InputKind.LABELS, InputKind.PROBABILITIES):
        return "binary-classification" if truth.nunique() <= 2 else "multiclass-classification"
    return {
        InputKind.CLUSTERS: "clustering",
        InputKind.SCORES: "recommendation-ranking",
        InputKind.MULTILABEL: "multilabel",
        InputKind.RISK: "survival",
    }.get(kind, "other")


def _labels(metric_name: str, truth: pd.Series, targets: list[str]) -> tuple[str, ...] | None:
    kind = get_metric(metric_name).kind
    if kind is InputKind.PROBABILITIES and len(targets) > 1:
        return tuple(targets)
    if kind in (InputKind.LABELS, InputKind.PROBABILITIES):
        return tuple(sort_labels(str(v) for v in truth.dropna().unique()))
    return None


def _challenge(
    opts: ImportOptions, source: Path, sample: pd.DataFrame, solution: pd.DataFrame
) -> Challenge:
    id_column, *targets = [str(c) for c in sample.columns]
    if not targets:
        raise InvalidBundle(
            "sample_submission.csv needs an id column and at least one target column"
        )
    solution_cols = [c for c in solution.columns if c not in (id_column, USAGE)]
    cid = opts.challenge_id or _slug(source.resolve().name)
    truth = solution[solution_cols[0]].astype(str)
    return Challenge(
        id=cid,
        title=opts.title or cid.replace("-", " ").title(),
        task=opts.task or _infer_task(opts.metric, truth),
        metric=get_metric(opts.metric).name,
        id_column=id_column,
        target_columns=tuple(targets),
        solution_columns=tuple(solution_cols),
        labels=_labels(opts.metric, truth, targets),
    )


def _description(ch: Challenge, origin: str) -> str:
    return (
        f"# {ch.title}\n\nImported from {origin}. Predict "
        f"{', '.join(ch.target_columns)} for every row of test.csv; scored with "
        f"{ch.metric}.\n"
    )


def _resplit(
    train: pd.DataFrame, sample: pd.DataFrame, opts: ImportOptions
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Carve a labelled test set out of train.csv (for competitions without a solution)."""
    id_column, *targets = [str(c) for c in sample.columns]
    missing = [c for c in [id_column, *targets] if c not in train.columns]
    if missing:
        raise InvalidBundle(
            f"--from-train needs train.csv to hold the sample submission's columns; missing: "
            f"{', '.join(missing)}"
        )
    if len(train) < 10:
        raise InvalidBundle(f"train.csv has {len(train)} rows: too few to re-split")
    rng = np.random.default_rng(opts.seed)
    order = rng.permutation(len(train))
    n_test = max(2, round(len(train) * opts.test_fraction))
    test_rows, train_rows = order[:n_test], order[n_test:]
    new_train = train.iloc[np.sort(train_rows)].reset_index(drop=True)
    held = train.iloc[np.sort(test_rows)].reset_index(drop=True)
    solution = held[[id_column, *targets]].copy()
    public = rng.random(len(held)) < opts.public_fraction
    public[0], public[-1] = True, False  # both splits always get rows
    solution[USAGE] = np.where(public, "Public", "Private")
    new_test = held.drop(columns=targets)
    new_sample = held[[id_column]].copy()
    for col in targets:
        new_sample[col] = sample[col].iloc[0] if len(sample) else 0
    return new_train, new_test, solution, new_sample


def import_kaggle(source: Path, opts: ImportOptions) -> Path:
    """A Kaggle-style folder: train.csv, test.csv, sample_submission.csv, and solution.csv
    with a Usage column (or `from_train` to re-split train.csv when there is no solution)."""
    if not source.is_dir():
        raise InvalidBundle(f"{source} is not a folder")
    train = _read_csv(source / "train.csv")
    sample = _read_csv(source / "sample_submission.csv")
    if opts.from_train:
        train, test, solution, sample = _resplit(train, sample, opts)
        origin = f"a Kaggle-style folder, re-split from train.csv with seed {opts.seed}"
    else:
        test = _read_csv(source / "test.csv")
        solution = _read_csv(source / "solution.csv")
        if USAGE not in solution.columns:
            raise InvalidBundle(
                "solution.csv has no Usage column (Public/Private/Ignored); "
                "use --from-train to re-split train.csv instead"
            )
        origin = "a Kaggle-style folder"
    ch = _challenge(opts, source, sample, solution)
    write_bundle(
        opts.dest,
        ch,
        description=_description(ch, origin),
        train=train,
        test=test,
        solution=solution,
        sample_submission=sample,
    )
    return opts.dest


def _placeholder_sample(
    ids: pd.DataFrame, metric_name: str, solution: pd.DataFrame
) -> pd.DataFrame:
    """A valid sample submission that reveals nothing of the answers' values."""
    kind = get_metric(metric_name).kind
    sample = ids.copy()
    for col in [c for c in solution.columns if c not in (*ids.columns, USAGE)]:
        if kind in (InputKind.LABELS, InputKind.CLUSTERS):
            sample[col] = sorted(str(v) for v in solution[col].dropna().unique())[0]
        elif kind in (InputKind.PROBABILITIES, InputKind.MULTILABEL):
            sample[col] = 0.5
        else:
            sample[col] = 0.0
    return sample


def import_hf(source: Path, opts: ImportOptions) -> Path:
    """A Hugging Face `competitions` solution.csv whose `split` column is public/private.

    train.csv, test.csv and sample_submission.csv beside it are used when present; otherwise
    test.csv holds the ids and the sample submission is derived from the solution."""
    solution = _read_csv(source)
    if "split" not in solution.columns:
        raise InvalidBundle(f"{source.name} has no 'split' column (public/private)")
    split = solution.pop("split").astype(str).str.strip().str.lower()
    bad = sorted(set(split) - {"public", "private"})
    if bad:
        raise InvalidBundle(
            f"{source.name}: split values must be public or private, found "
            f"{', '.join(map(repr, bad))}"
        )
    solution[USAGE] = split.map({"public": "Public", "private": "Private"})
    folder = source.parent
    id_column = str(solution.columns[0])
    if (folder / "sample_submission.csv").is_file():
        sample = _read_csv(folder / "sample_submission.csv")
    else:
        sample = _placeholder_sample(solution[[id_column]], opts.metric, solution)
    test = (
        _read_csv(folder / "test.csv") if (folder / "test.csv").is_file() else solution[[id_column]]
    )
    train = (
        _read_csv(folder / "train.csv")
        if (folder / "train.csv").is_file()
        else pd.DataFrame(columns=[id_column])
    )
    opts_id = (
        opts
        if opts.challenge_id
        else ImportOptions(**{**opts.__dict__, "challenge_id": _slug(folder.name)})
    )
    ch = _challenge(opts_id, folder, sample, solution)
    write_bundle(
        opts.dest,
        ch,
        description=_description(ch, "a Hugging Face competition"),
        train=train,
        test=test,
        solution=solution,
        sample_submission=sample,
    )
    return opts.dest


register_importer("kaggle", import_kaggle)
register_importer("hf", import_hf)
