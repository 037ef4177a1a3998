"""Strict checks of a submission table against a challenge and its answer key.

Each check returns problems (at most five of a kind, plus a count) so one pass reports
everything wrong with a file. Rows are located by `Locator`: 1-based CSV lines (the header
is line 1) or 1-based Parquet rows.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from trackrecord.bundle.model import Challenge
from trackrecord.errors import MAX_LISTED, Problem
from trackrecord.scoring.arrays import to_numpy
from trackrecord.scoring.ids import is_permutation, lookup
from trackrecord.scoring.solution import Solution

ROW_SUM_TOLERANCE = 1e-3


@dataclass(frozen=True)
class Locator:
    file: str
    offset: int = 2  # CSV: data row i (0-based) sits on line i + 2
    unit: str = "line"

    def at(self, row: int, message: str, column: str | None = None) -> Problem:
        if self.unit == "line":
            return Problem(message, file=self.file, line=row + self.offset, column=column)
        return Problem(f"row {row + self.offset}: {message}", file=self.file, column=column)

    def many(
        self,
        rows: NDArray[np.intp],
        message: str | Callable[[int], str],
        what: str,
        column: str | None = None,
    ) -> list[Problem]:
        """The first MAX_LISTED offending rows, then a count of the rest."""
        found = [
            self.at(int(r), message if isinstance(message, str) else message(int(r)), column)
            for r in rows[:MAX_LISTED]
        ]
        if len(rows) > MAX_LISTED:
            rest = len(rows) - MAX_LISTED
            found.append(Problem(f"... and {rest} more {what}", file=self.file, column=column))
        return found


INDEX_NAMES = ("", "Unnamed: 0", "index")
SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _header_hints(header: Sequence[str], expected: Sequence[str], file: str) -> list[Problem]:
    """Two common slips, said plainly: another separator than the comma (a European
    spreadsheet's ';'), and a file saved with its pandas index as an unnamed first column."""
    if len(header) == 1 and len(expected) > 1:
        for sep, name in SEPARATORS.items():
            if sep in header[0]:
                return [
                    Problem(
                        f"the file looks separated by {sep!r} ({name}), not commas; save it"
                        " with commas (pandas: df.to_csv('submission.csv', index=False))",
                        file=file,
                        line=1,
                    )
                ]
    if header and header[0].strip() in INDEX_NAMES and list(header[1:]) == list(expected):
        return [
            Problem(
                f"the first column {header[0]!r} looks like a saved pandas index; write the"
                " file with df.to_csv('submission.csv', index=False)",
                file=file,
                line=1,
            )
        ]
    return []


def check_width(
    header: Sequence[str], challenge: Challenge, file: str, max_columns: int
) -> list[Problem]:
    """One problem for a header far wider than a submission: its columns are not each
    compared and named (that is what made a 1M-column header cost a minute)."""
    if len(header) <= max_columns:
        return []
    expected = challenge.submission_columns
    return [
        Problem(
            f"the header has {len(header):,} columns; a submission has {len(expected)}: "
            f"{', '.join(expected)}",
            file=file,
            line=1,
        )
    ]


def check_columns(header: Sequence[str], challenge: Challenge, file: str) -> list[Problem]:
    expected = list(challenge.submission_columns)
    hints = _header_hints(header, expected, file)
    if hints:
        return hints
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(f"column {name!r} appears more than once", file=file, line=1))
        seen.add(name)
    for name in header:
        if name not in expected:
            same_case = [e for e in expected if e.lower() == name.strip().lower()]
            close = same_case or difflib.get_close_matches(name, expected, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(f"unexpected column {name!r}{hint}", file=file, line=1))
    for name in expected:
        if name not in seen:
            problems.append(Problem(f"missing column {name!r}", file=file, line=1))
    if problems:
        problems.append(Problem(f"expected exactly: {', '.join(expected)}", file=file, line=1))
    return problems


def match_ids(
    ids: pa.Array | pa.ChunkedArray, solution: Solution, loc: Locator, id_column: str
) -> tuple[NDArray[np.signedinteger[Any]] | None, list[Problem]]:
    """Map each submission row to its answer-key row.

    Returns (None, []) when the rows are already in answer-key order (the common case, no
    index array needed), (positions, []) otherwise, and (None, problems) when ids don't fit.
    `ids` may be the reader's chunked column: it is compared and looked up chunk by chunk.
    """
    if isinstance(ids, pa.Array):
        ids = pa.chunked_array([ids], type=ids.type)
    sol_ids = solution.ids
    n = len(sol_ids)
    if not ids.null_count and len(ids) == n and _same(ids, sol_ids):
        return None, []  # the common case: rows in the order of test.csv
    pos = lookup(ids, sol_ids, solution.id_order)
    if not ids.null_count and is_permutation(pos, n):
        return pos, []  # every test id once, in another order
    problems = _id_problems(ids, pos, sol_ids, loc, id_column)
    return (None, problems) if problems else (pos, [])


def _id_problems(
    ids: pa.ChunkedArray,
    pos: NDArray[np.signedinteger[Any]],
    sol_ids: pa.Array,
    loc: Locator,
    id_column: str,
) -> list[Problem]:
    """Empty, unknown, duplicate and missing ids, each located by line."""
    problems: list[Problem] = []
    nulls = to_numpy(ids.is_null()) if ids.null_count else np.zeros(len(ids), dtype=np.bool_)
    if ids.null_count:
        rows = np.flatnonzero(nulls)
        problems += loc.many(rows, "the id is empty", "rows with an empty id", id_column)
    unknown = np.flatnonzero((pos < 0) & ~nulls)
    if len(unknown):
        problems += loc.many(unknown, "id is not in the test set", "unknown ids", id_column)
    known = pos[pos >= 0]
    counts = np.bincount(known, minlength=len(sol_ids))
    if counts.max(initial=0) > 1:
        rows = np.flatnonzero(pos >= 0)
        order = rows[np.argsort(pos[rows], kind="stable")]
        same = pos[order[1:]] == pos[order[:-1]]
        dup_rows = np.sort(order[1:][same])
        problems += loc.many(
            dup_rows, "this id appeared on an earlier row", "duplicate ids", id_column
        )
    missing = np.flatnonzero(counts == 0)
    if len(missing):
        sample = ", ".join(str(sol_ids[int(i)].as_py()) for i in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        problems.append(
            Problem(
                f"{len(missing)} test id(s) have no prediction: {sample}{more}",
                file=loc.file,
                column=id_column,
            )
        )
    return problems


def _same(a: pa.ChunkedArray, b: pa.Array) -> bool:
    """Equal columns of equal length without nulls; integer ids compared in numpy, chunk by
    chunk (a shuffled file differs in its first chunk)."""
    if a.type != b.type:
        return False  # e.g. text ids against integer ones: the lookup compares them as text
    if not pa.types.is_integer(a.type):
        return bool(a.equals(pa.chunked_array([b], type=b.type)))
    key = to_numpy(b)
    start = 0
    for chunk in a.chunks:
        end = start + len(chunk)
        if not np.array_equal(to_numpy(chunk), key[start:end]):
            return False
        start = end
    return True


def _above(lo: float, minimum: float | None, strict: bool) -> bool:
    return minimum is None or (lo > minimum if strict else lo >= minimum)


def check_floats(
    col: pa.Array | pa.ChunkedArray,
    name: str,
    loc: Locator,
    *,
    unit: bool,
    minimum: float | None = None,
    strict: bool = False,
) -> list[Problem]:
    """Empty cells, NaN, inf, (for probabilities) values outside [0, 1], and values below
    the metric's `minimum` (strictly above it when `strict`), each located by line."""
    if col.null_count == 0 and len(col):
        # Fast path for valid files: two reductions per chunk, no copy, no temporary masks.
        # NaN propagates through min/max, and a NaN or inf bound fails these comparisons.
        lo, hi = _bounds(col)
        bounded = math.isfinite(lo) and math.isfinite(hi)
        if (lo >= 0.0 and hi <= 1.0) if unit else (bounded and _above(lo, minimum, strict)):
            return []
    values = to_numpy(col).astype(np.float64, copy=False)
    problems: list[Problem] = []
    nulls = to_numpy(col.is_null()) if col.null_count else None
    if nulls is not None:
        problems += loc.many(np.flatnonzero(nulls), "empty cell", "empty cells", name)
    finite = np.isfinite(values)
    if not finite.all():
        bad = ~finite if nulls is None else ~finite & ~nulls
        nan_rows = np.flatnonzero(bad & np.isnan(values))
        inf_rows = np.flatnonzero(bad & np.isinf(values))
        if len(nan_rows):
            problems += loc.many(nan_rows, "NaN is not a prediction", "NaN cells", name)
        if len(inf_rows):
            problems += loc.many(inf_rows, "infinite value", "infinite cells", name)
    if unit:
        with np.errstate(invalid="ignore"):
            out = np.flatnonzero(finite & ((values < 0) | (values > 1)))
        problems += loc.many(
            out,
            lambda r: f"probability {float(values[r])!r} is outside [0, 1]",
            "probabilities outside [0, 1]",
            name,
        )
    if minimum is not None:
        with np.errstate(invalid="ignore"):
            low = values <= minimum if strict else values < minimum
        word = "above" if strict else "at least"
        problems += loc.many(
            np.flatnonzero(finite & low),
            lambda r: f"{float(values[r])!r} is not allowed: {name} must be {word} {minimum:g}",
            f"values not {word} {minimum:g}",
            name,
        )
    return problems


def _bounds(col: pa.Array | pa.ChunkedArray) -> tuple[float, float]:
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    parts = [to_numpy(c).astype(np.float64, copy=False) for c in chunks if len(c)]
    lows = np.array([p.min() for p in parts])
    highs = np.array([p.max() for p in parts])
    return float(lows.min()), float(highs.max())


def check_labels(
    col: pa.Array | pa.ChunkedArray, name: str, allowed: Sequence[str] | None, loc: Locator
) -> list[Problem]:
    """Empty cells and (when `allowed` is given) labels outside it, each located by line.
    `col` may be the reader's chunked column: no step here needs it joined first."""
    problems: list[Problem] = []
    if col.null_count:
        rows = np.flatnonzero(to_numpy(col.is_null()))
        problems += loc.many(rows, "empty cell", "empty cells", name)
    if allowed is not None:
        import pyarrow.compute as pc

        ok = pc.is_in(col, value_set=pa.array(list(allowed), pa.string()))
        bad = np.flatnonzero(~to_numpy(ok) & ~to_numpy(col.is_null()))
        shown = ", ".join(repr(a) for a in allowed[:10])
        problems += loc.many(
            bad, lambda r: f"label {col[r].as_py()!r} is not one of {shown}", "unknown labels", name
        )
    return problems


def check_row_sums(matrix: NDArray[np.float64], loc: Locator) -> list[Problem]:
    """Multiclass probability rows must sum to 1 within ROW_SUM_TOLERANCE."""
    sums = matrix.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_TOLERANCE)
    return loc.many(
        bad,
        lambda r: f"class probabilities sum to {sums[r]:.6g}, not 1",
        "rows that do not sum to 1",
    )
