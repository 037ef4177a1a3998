"""score(bundle, file) -> public and private scores. A pure function: no database, no state
beyond an optional cache of the parsed answer key."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from trackrecord.bundle.model import Bundle, Challenge, sort_labels
from trackrecord.errors import InvalidBundle, InvalidMetricInput, InvalidSubmission, Problem
from trackrecord.metrics import InputKind, Metric, get_metric
from trackrecord.scoring import reader
from trackrecord.scoring.arrays import NUMPY_NAMES, to_numpy
from trackrecord.scoring.limits import Budget, ScoringLimits
from trackrecord.scoring.solution import PRIVATE, PUBLIC, Solution, load_solution
from trackrecord.scoring.validate import (
    Locator,
    check_columns,
    check_floats,
    check_labels,
    check_row_sums,
    check_width,
    match_ids,
)

if TYPE_CHECKING:
    import pandas as pd

FLOAT_PREDICTIONS = {
    InputKind.PROBABILITIES,
    InputKind.VALUES,
    InputKind.SCORES,
    InputKind.RISK,
    InputKind.MULTILABEL,
}


@dataclass(frozen=True)
class ScoreResult:
    metric: str
    public: float
    private: float
    rows: int
    greater_is_better: bool
    public_rows: int
    private_rows: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def prediction_types(challenge: Challenge) -> dict[str, pa.DataType]:
    kind = get_metric(challenge.metric).kind
    dtype = pa.float64() if kind in FLOAT_PREDICTIONS else pa.string()
    return {c: dtype for c in challenge.target_columns}


def score(
    bundle: Bundle,
    submission: str | Path,
    *,
    max_bytes: int | None = None,
    cache_dir: Path | None = None,
    limits: ScoringLimits | None = None,
) -> ScoreResult:
    """Validate a submission file strictly and score it on the public and private splits.

    `limits` bound what the file may make the scorer read (rows, bytes, header, columns;
    default: the declared settings' defaults), checked before or while reading.
    Raises InvalidSubmission (with every problem located by line and column) or
    PayloadTooLarge; never returns a partial score.
    """
    path = Path(submission)
    reader.check_size(path, max_bytes)
    fmt = reader.sniff_format(path)
    ch = bundle.challenge
    types = prediction_types(ch)
    solution = load_solution(bundle.solution_path, ch, cache_dir)
    test_rows = len(solution)
    budget = (limits or ScoringLimits()).budget(test_rows, len(ch.submission_columns))
    if fmt == "parquet":
        source = reader.open_parquet(path, budget, test_rows)
        _check_header(source.names, ch, path.name, budget)
        table = reader.read_parquet(source, ch.submission_columns, budget, test_rows)
        loc = Locator(path.name, offset=1, unit="row")
        table = _coerce(table, types, loc)
    else:
        header = reader.read_header(path, fmt, budget)
        _check_header(header, ch, path.name, budget)
        table = reader.read_csv_table(path, fmt, header, types, budget, test_rows)
        loc = Locator(path.name)
    return score_table(bundle, table, loc, cache_dir=cache_dir, solution=solution)


def _check_header(names: list[str], ch: Challenge, file: str, budget: Budget) -> None:
    _raise_if(check_width(names, ch, file, budget.columns), file, ch)
    _raise_if(check_columns(names, ch, file), file, ch)


def score_frame(
    bundle: Bundle, frame: pd.DataFrame, *, name: str = "DataFrame", cache_dir: Path | None = None
) -> ScoreResult:
    """Score a DataFrame exactly as if it were an uploaded file (rows are 0-based positions)."""
    table, loc = _frame_table(bundle, frame, name)
    return score_table(bundle, table, loc, cache_dir=cache_dir)


def align_frame(bundle: Bundle, frame: pd.DataFrame, *, name: str = "DataFrame") -> Aligned:
    """A DataFrame validated as an uploaded file would be, lined up with the answer key
    (for resampling a score, e.g. its bootstrap standard error)."""
    table, loc = _frame_table(bundle, frame, name)
    return align_table(bundle, table, loc)


def _frame_table(bundle: Bundle, frame: pd.DataFrame, name: str) -> tuple[pa.Table, Locator]:
    ch = bundle.challenge
    columns = [str(c) for c in frame.columns]
    _raise_if(check_columns(columns, ch, name), name, ch)
    frame = frame.reset_index(drop=True)
    mixed = [c for c in ch.target_columns if frame[c].dtype == object]
    if mixed:  # object columns may mix numbers and text: read them as text, then cast
        frame = frame.astype({c: "string" for c in mixed})
    table = pa.Table.from_pandas(frame, preserve_index=False)
    loc = Locator(name, offset=0, unit="row")
    return _coerce(table, prediction_types(ch), loc), loc


def _coerce(table: pa.Table, types: dict[str, pa.DataType], loc: Locator) -> pa.Table:
    """Cast prediction columns of a typed source (Parquet, DataFrame) to what the metric reads."""
    for name, dtype in types.items():
        col = table.column(name).combine_chunks()
        if col.type == dtype:
            continue
        try:
            import pyarrow.compute as pc

            cast = (
                col.cast(dtype)
                if dtype == pa.string() or not pa.types.is_string(col.type)
                else pc.cast(pc.utf8_trim_whitespace(col), dtype)
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            import pandas as pd  # only to explain a failed cast

            values = col.to_pandas()
            bad = np.flatnonzero(pd.to_numeric(values, errors="coerce").isna() & values.notna())
            problems = loc.many(
                bad, _not_a_number(list(values)), "cells that are not numbers", name
            )
            raise InvalidSubmission(f"{loc.file} could not be read", problems=problems) from None
        table = table.set_column(table.column_names.index(name), name, cast)
    return table


def _not_a_number(values: list[Any]) -> Callable[[int], str]:
    return lambda row: f"{values[row]!r} is not a number"


def _raise_if(problems: list[Problem], name: str, ch: Challenge) -> None:
    if problems:
        raise InvalidSubmission(f"{name} is not a valid submission for {ch.id}", problems=problems)


@dataclass(frozen=True)
class Aligned:
    """A validated submission lined up with the answer key, row for row: what a metric
    reads. `usage` holds PUBLIC or PRIVATE per row, `groups` the query ids (ranking)."""

    metric: Metric
    y_true: NDArray[Any]
    y_pred: NDArray[Any]
    params: dict[str, Any]
    usage: NDArray[np.int8]
    groups: NDArray[Any] | None
    rows: int

    def split(self, split: int) -> tuple[NDArray[Any], NDArray[Any], dict[str, Any]]:
        """y_true, y_pred and the metric's keyword arguments for one split."""
        mask = self.usage == split
        if mask.all():
            yt, yp = self.y_true, self.y_pred
        else:  # np.compress: 2-3x faster than boolean indexing (y_true[mask]) in numpy 2.4
            yt = np.compress(mask, self.y_true, axis=0)
            yp = np.compress(mask, self.y_pred, axis=0)
        call = dict(self.params)
        if self.groups is not None:
            call["groups"] = np.compress(mask, self.groups)
        return yt, yp, call


def align_table(
    bundle: Bundle,
    table: pa.Table,
    loc: Locator,
    *,
    cache_dir: Path | None = None,
    solution: Solution | None = None,
) -> Aligned:
    """Validate a submission table strictly and line it up with the answer key
    (`solution`: the key already loaded by the caller; loaded here when None)."""
    ch = bundle.challenge
    metric = get_metric(ch.metric)
    if table.num_rows == 0:
        raise InvalidSubmission(f"{loc.file} has a header but no rows")
    if solution is None:
        solution = load_solution(bundle.solution_path, ch, cache_dir)
    # Columns stay in the reader's chunks until a step needs one array (docs/benchmarks.md:
    # a copy of a 3M-row column costs more than the lookup it feeds).
    pos, problems = match_ids(table.column(ch.id_column), solution, loc, ch.id_column)
    preds = {c: table.column(c) for c in ch.target_columns}
    problems += _check_values(preds, ch, metric, solution, loc)
    if _one_float_column(preds, metric):
        _raise_if(problems, loc.file, ch)
        (column,) = preds.values()
        y_pred = _aligned_floats(column, pos, len(solution))
    else:
        y_pred = _prediction_matrix(preds, metric)
        if metric.kind is InputKind.PROBABILITIES and y_pred.ndim == 2 and not problems:
            problems += check_row_sums(y_pred, loc)
        _raise_if(problems, loc.file, ch)
        if pos is not None:  # None: already in answer-key order
            aligned = np.empty_like(y_pred)
            aligned[pos] = y_pred
            y_pred = aligned
    if metric.kind is InputKind.PROBABILITIES and y_pred.ndim == 2:
        y_pred = y_pred / y_pred.sum(axis=1, keepdims=True)  # documented renormalization
    groups = None
    if solution.groups is not None and "groups" in metric.params:
        groups = to_numpy(solution.groups)
    return Aligned(
        metric=metric,
        y_true=_truth(solution, ch, metric),
        y_pred=y_pred,
        params=_params(ch, metric),
        usage=solution.usage,
        groups=groups,
        rows=table.num_rows,
    )


def score_table(
    bundle: Bundle,
    table: pa.Table,
    loc: Locator,
    *,
    cache_dir: Path | None = None,
    solution: Solution | None = None,
) -> ScoreResult:
    data = align_table(bundle, table, loc, cache_dir=cache_dir, solution=solution)
    # The two splits are independent and numpy's sorts release the GIL: score them at once.
    with ThreadPoolExecutor(2) as pool:
        public_job, private_job = (
            pool.submit(_split_score, data, split, loc.file) for split in (PUBLIC, PRIVATE)
        )
        public, private = public_job.result(), private_job.result()
    return ScoreResult(
        metric=data.metric.name,
        public=public,
        private=private,
        rows=data.rows,
        greater_is_better=data.metric.greater_is_better,
        public_rows=int((data.usage == PUBLIC).sum()),
        private_rows=int((data.usage == PRIVATE).sum()),
    )


def _allowed_labels(ch: Challenge, solution: Solution) -> list[str]:
    if ch.labels is not None:
        return list(ch.labels)
    col = solution.columns[ch.solution_columns[0]]
    values = (
        col.dictionary.to_pylist()
        if pa.types.is_dictionary(col.type)
        else col.drop_null().unique().to_pylist()
    )
    return sort_labels(str(v) for v in values if v is not None)


def _check_values(
    preds: dict[str, pa.ChunkedArray],
    ch: Challenge,
    metric: Metric,
    solution: Solution,
    loc: Locator,
) -> list[Problem]:
    problems: list[Problem] = []
    for name, col in preds.items():
        if metric.kind is InputKind.LABELS:
            problems += check_labels(col, name, _allowed_labels(ch, solution), loc)
        elif metric.kind is InputKind.CLUSTERS:
            problems += check_labels(col, name, None, loc)
        else:
            unit = metric.kind in {InputKind.PROBABILITIES, InputKind.MULTILABEL}
            problems += check_floats(
                col,
                name,
                loc,
                unit=unit,
                minimum=metric.min_prediction,
                strict=metric.min_exclusive,
            )
    return problems


def _one_float_column(preds: dict[str, pa.ChunkedArray], metric: Metric) -> bool:
    """One prediction column of floats (validated without nulls): no row sums to check,
    and it can be lined up with the answer key straight from the reader's chunks."""
    if len(preds) != 1 or metric.kind is InputKind.MULTILABEL:
        return False
    (column,) = preds.values()
    return bool(pa.types.is_floating(column.type))


def _aligned_floats(
    column: pa.ChunkedArray, pos: NDArray[np.signedinteger[Any]] | None, rows: int
) -> NDArray[Any]:
    """The column in answer-key order: row i of the file goes to answer-key row pos[i]
    (pos None: the file is in answer-key order already, and one copy joins its chunks)."""
    if pos is None:
        return to_numpy(column)
    dtype = np.dtype(NUMPY_NAMES[str(column.type)])
    out = np.empty(rows, dtype=dtype)
    start = 0
    for chunk in column.chunks:
        end = start + len(chunk)
        out[pos[start:end]] = to_numpy(chunk)
        start = end
    return out


def _prediction_matrix(preds: dict[str, pa.ChunkedArray], metric: Metric) -> NDArray[Any]:
    arrays = [_numpy(col.combine_chunks()) for col in preds.values()]
    if len(arrays) == 1 and metric.kind is not InputKind.MULTILABEL:
        return arrays[0]
    return np.column_stack(arrays)


def _numpy(col: pa.Array) -> NDArray[Any]:
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        try:
            return to_numpy(col.cast(pa.int64()))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return to_numpy(col)
    return to_numpy(col)


def _truth(solution: Solution, ch: Challenge, metric: Metric) -> NDArray[Any]:
    cols = [solution.columns[c] for c in ch.solution_columns]
    if metric.kind is InputKind.PROBABILITIES and len(ch.target_columns) == 1:
        labels = _allowed_labels(ch, solution)
        if len(labels) != 2:
            raise InvalidBundle(
                f"{ch.id}: a binary probability metric needs exactly two labels, got {labels}"
            )
        return _is_label(cols[0], labels[1])
    if len(cols) == 1:
        return _numpy(cols[0])
    return np.column_stack([_numpy(c) for c in cols])


def _is_label(col: pa.Array, label: str) -> NDArray[np.int8]:
    """1 where the answer is `label`, else 0 (solution label columns are dictionary-encoded)."""
    if pa.types.is_dictionary(col.type):
        names = col.dictionary.to_pylist()
        code = names.index(label) if label in names else -1
        hits: NDArray[np.bool_] = to_numpy(col.indices) == code
    else:
        hits = to_numpy(col) == label
    return hits.astype(np.int8)


def _params(ch: Challenge, metric: Metric) -> dict[str, Any]:
    params = {k: v for k, v in ch.metric_params.items() if k in metric.params}
    multiclass = metric.kind is InputKind.PROBABILITIES and len(ch.target_columns) > 1
    if "labels" in metric.params and multiclass:
        params["labels"] = list(ch.target_columns)
    binary = ch.labels is not None and len(ch.labels) == 2
    if metric.counts_a_positive_label and binary and "labels" not in params:
        params["labels"] = list(ch.labels or ())  # (negative, positive): F1 counts labels[1]
    return params


def _split_score(data: Aligned, split: int, file: str) -> float:
    yt, yp, call = data.split(split)
    try:
        return data.metric(yt, yp, **call)
    except InvalidMetricInput as exc:
        raise InvalidSubmission(f"{file} cannot be scored: {exc.message}") from None
