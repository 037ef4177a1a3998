"""`challenge check`: every problem of a bundle at once, each naming the file and the row.

The checks run in layers; a layer that cannot run (no readable solution, say) is skipped
rather than reporting noise that follows from an earlier problem.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from trackrecord.bundle.model import Bundle, Challenge
from trackrecord.bundle.reader import BundleLimits, open_bundle, read_challenge, zip_problems
from trackrecord.bundle.writer import USAGE, USAGE_VALUES
from trackrecord.errors import (
    MAX_LISTED,
    InvalidBundle,
    Problem,
    TrackrecordError,
    UnknownMetric,
    strip_paths,
)
from trackrecord.metrics import Metric, get_metric

REQUIRED = (
    "description.md",
    "public/train.csv",
    "public/test.csv",
    "public/sample_submission.csv",
    "private/solution.csv",
)
SOLUTION = "private/solution.csv"


def check_bundle(
    path: str | Path, *, cache_dir: Path | None = None, limits: BundleLimits | None = None
) -> list[Problem]:
    """Return every problem found in the bundle at `path` (empty when it is clean).
    `limits` bound what a zip may unpack to (default: the declared settings' defaults)."""
    source = Path(path)
    if not source.exists():
        return [Problem("no such file or folder", file=source.name)]
    if source.is_file():
        try:
            with zipfile.ZipFile(source) as zf:
                unsafe = zip_problems(zf, source.name, limits)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            message = strip_paths(str(exc), source)
            return [Problem(f"is not a readable zip file: {message}", file=source.name)]
        if unsafe:
            return unsafe
    try:
        bundle = open_bundle(source, cache_dir=cache_dir, limits=limits)
    except InvalidBundle as exc:
        root = source if source.is_dir() else None
        missing = _missing_files(root) if root else []
        return [*exc.problems, *missing] or [Problem(exc.message)]
    problems = _missing_files(bundle.root)
    metric = _metric(bundle.challenge, problems)
    if problems:
        return problems
    assert metric is not None
    problems += _check_thresholds(bundle.challenge, metric)
    tables = _read_tables(bundle, problems)
    if tables is not None:
        test, sample, solution = tables
        problems += _check_solution(bundle.challenge, solution, metric)
        problems += _check_ids(bundle.challenge, test, sample, solution)
        problems += _check_leaks(bundle.challenge, test)
    if not problems:
        problems += _check_sample_scores(bundle, cache_dir)
    return problems


def _missing_files(root: Path) -> list[Problem]:
    problems = [
        Problem("required file is missing", file=rel)
        for rel in REQUIRED
        if not (root / rel).is_file()
    ]
    if not (root / "challenge.toml").is_file():
        problems.insert(0, Problem("required file is missing", file="challenge.toml"))
    elif read_challenge(root)[0] is None:
        pass  # already reported by open_bundle
    return problems


def _metric(ch: Challenge, problems: list[Problem]) -> Metric | None:
    try:
        return get_metric(ch.metric)
    except UnknownMetric as exc:
        problems.append(Problem(exc.message, file="challenge.toml"))
        return None


def _check_thresholds(ch: Challenge, metric: Metric) -> list[Problem]:
    th = ch.thresholds
    named = [
        (n, v)
        for n, v in (("baseline", th.baseline), ("reference", th.reference), ("gold", th.gold))
        if v is not None
    ]
    problems = []
    for (a, va), (b, vb) in itertools.pairwise(named):
        if not metric.better(vb, va):
            word = "higher" if metric.greater_is_better else "lower"
            problems.append(
                Problem(
                    f"[thresholds] {b} ({vb:g}) must be {word} than {a} ({va:g}) because "
                    f"{metric.name} is {metric.direction.value}d",
                    file="challenge.toml",
                )
            )
    return problems


def _read(path: Path, rel: str, problems: list[Problem]) -> pa.Table | None:
    try:
        return pacsv.read_csv(
            str(path),
            convert_options=pacsv.ConvertOptions(
                column_types={}, strings_can_be_null=True, null_values=[""]
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        problems.append(Problem(f"cannot be read as CSV: {strip_paths(str(exc), path)}", file=rel))
        return None


def _read_tables(
    bundle: Bundle, problems: list[Problem]
) -> tuple[pa.Table, pa.Table, pa.Table] | None:
    root, ch = bundle.root, bundle.challenge
    test = _read(root / "public/test.csv", "public/test.csv", problems)
    sample = _read(root / "public/sample_submission.csv", "public/sample_submission.csv", problems)
    solution = _read(root / SOLUTION, SOLUTION, problems)
    if test is None or sample is None or solution is None:
        return None
    expected = list(ch.submission_columns)
    if sample.column_names != expected:
        problems.append(
            Problem(
                f"columns are {sample.column_names}, expected exactly {expected} "
                "(the id column, then challenge.toml's target_columns)",
                file="public/sample_submission.csv",
                line=1,
            )
        )
    needed = [ch.id_column, *ch.solution_columns, USAGE]
    if ch.group_column:
        needed.append(ch.group_column)
    missing = [c for c in needed if c not in solution.column_names]
    for c in missing:
        problems.append(Problem(f"missing column {c!r}", file=SOLUTION, line=1))
    if ch.id_column not in test.column_names:
        problems.append(
            Problem(f"missing the id column {ch.id_column!r}", file="public/test.csv", line=1)
        )
    if missing or ch.id_column not in test.column_names or sample.column_names != expected:
        return None
    return test, sample, solution


def _rows(mask: pa.Array) -> list[int]:
    return [int(i) + 2 for i in pc.indices_nonzero(mask).to_pylist()]


def _listed(
    rows: list[int], message: str, file: str, what: str, column: str | None = None
) -> list[Problem]:
    found = [Problem(message, file=file, line=r, column=column) for r in rows[:MAX_LISTED]]
    if len(rows) > MAX_LISTED:
        rest = len(rows) - MAX_LISTED
        found.append(Problem(f"... and {rest} more {what}", file=file, column=column))
    return found


def _check_solution(ch: Challenge, solution: pa.Table, metric: Metric) -> list[Problem]:
    usage = solution.column(USAGE).cast(pa.string()).combine_chunks()
    bad = pc.invert(pc.fill_null(pc.is_in(usage, value_set=pa.array(USAGE_VALUES)), False))
    problems = _listed(
        _rows(bad),
        f"Usage must be one of {', '.join(USAGE_VALUES)}",
        SOLUTION,
        "bad Usage values",
        USAGE,
    )
    for split in ("Public", "Private"):
        mask = pc.equal(usage, split)
        if not pc.any(mask).as_py():
            problems.append(Problem(f"no {split} rows: both splits need rows", file=SOLUTION))
            continue
        for col in ch.solution_columns:
            values = pc.filter(solution.column(col), mask)
            if values.null_count:
                problems.append(
                    Problem(
                        f"{values.null_count} empty answer(s) in the {split} split",
                        file=SOLUTION,
                        column=col,
                    )
                )
            if metric.needs_two_classes and pc.count_distinct(values).as_py() < 2:
                problems.append(
                    Problem(
                        f"the {split} split has a single class, but {metric.name} needs two",
                        file=SOLUTION,
                        column=col,
                    )
                )
    return problems


def _duplicates(ids: pa.Array, file: str, column: str) -> list[Problem]:
    counts = pc.value_counts(ids)
    dup_values = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if len(dup_values) == 0:
        return []
    rows = _rows(pc.is_in(ids, value_set=dup_values))
    return _listed(rows, "duplicate id", file, "rows with duplicate ids", column)


def _check_ids(
    ch: Challenge, test: pa.Table, sample: pa.Table, solution: pa.Table
) -> list[Problem]:
    idc = ch.id_column
    ids = {
        name: t.column(idc).cast(pa.string()).combine_chunks()
        for name, t in (
            ("public/test.csv", test),
            ("public/sample_submission.csv", sample),
            (SOLUTION, solution),
        )
    }
    problems: list[Problem] = []
    for name, col in ids.items():
        problems += _duplicates(col, name, idc)
    test_ids = ids["public/test.csv"]
    for name in ("public/sample_submission.csv", SOLUTION):
        extra = pc.invert(pc.is_in(ids[name], value_set=test_ids))
        problems += _listed(
            _rows(extra), "id is not in public/test.csv", name, "ids not in public/test.csv", idc
        )
        absent = pc.invert(pc.is_in(test_ids, value_set=ids[name]))
        problems += _listed(
            _rows(absent),
            f"test id has no row in {name}",
            "public/test.csv",
            f"test ids missing from {name}",
            idc,
        )
    return problems


def _check_leaks(ch: Challenge, test: pa.Table) -> list[Problem]:
    leaked = [c for c in ch.solution_columns if c in test.column_names]
    return [
        Problem(
            f"column {c!r} is an answer column and must not be in the test data",
            file="public/test.csv",
            column=c,
        )
        for c in leaked
    ]


def _check_sample_scores(bundle: Bundle, cache_dir: Path | None) -> list[Problem]:
    from trackrecord.scoring import score  # scoring builds on bundles, not the reverse

    try:
        score(bundle, bundle.public_dir / "sample_submission.csv", cache_dir=cache_dir)
    except TrackrecordError as exc:
        return [
            Problem(
                f"the sample submission does not score: {exc.message}",
                file="public/sample_submission.csv",
            ),
            *exc.problems,
        ]
    return []
