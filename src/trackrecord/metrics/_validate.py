"""Shared input checks for the built-in metrics.

Every helper raises `InvalidMetricInput` with a message that names the metric and says what
is wrong, so a learner sees "metric 'log_loss': predictions hold values above 1 (max 1.2)"
rather than a numpy traceback. Helpers both check and convert: a metric's `validate` hook
calls them and throws the result away, its scoring function calls them again and uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import numpy as np
from numpy.typing import NDArray

from trackrecord.errors import InvalidMetricInput

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]
AnyArray = NDArray[Any]
Params = Mapping[str, Any]
Validator = Callable[[Any, Any, Params], None]

# Rows of a probability matrix may be off 1 by this much (CSV files round); the same
# tolerance numpy.allclose gives scikit-learn's multiclass roc_auc_score check.
ROW_SUM_TOLERANCE = 1e-5
NUMERIC_KINDS = "biuf"
NUMERIC_OBJECTS = ("integer", "floating", "boolean", "mixed-integer-float")
MAX_SHOWN = 5


def fail(metric: str, reason: str) -> NoReturn:
    """Raise the one error every metric check raises."""
    raise InvalidMetricInput(f"metric {metric!r}: {reason}")


def checker(prepare: Callable[[str, Any, Any, Params], object], metric: str) -> Validator:
    """Turn a `prepare(metric, y_true, y_pred, params)` helper into a registry validator."""

    def validate(y_true: Any, y_pred: Any, params: Params) -> None:
        prepare(metric, y_true, y_pred, params)

    return validate


def shown(values: Any) -> str:
    """A short, readable list of offending values for an error message."""
    items = list(np.asarray(values).ravel()[:MAX_SHOWN].tolist())
    return ", ".join(repr(v) for v in items)


def is_numeric(values: AnyArray) -> bool:
    return values.dtype.kind in NUMERIC_KINDS


def floats(metric: str, values: Any, what: str) -> FloatArray:
    """`values` as finite float64 numbers, any shape."""
    arr = np.asarray(values)
    if arr.dtype.kind not in NUMERIC_KINDS:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            fail(metric, f"{what} must be numbers, got values like {shown(arr)}")
    out = np.asarray(arr, dtype=np.float64)
    if not np.isfinite(out).all():
        fail(metric, f"{what} contain NaN or infinite values")
    return out


def vector(metric: str, values: Any, what: str) -> FloatArray:
    """Finite floats of shape (n,); an (n, 1) column is accepted and flattened."""
    out = floats(metric, values, what)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.ndim != 1:
        fail(metric, f"{what} must be one column, got shape {out.shape}")
    return out


def matrix(metric: str, values: Any, what: str) -> FloatArray:
    """Finite floats of shape (n, k)."""
    out = floats(metric, values, what)
    if out.ndim != 2:
        fail(metric, f"{what} must be a table of shape (rows, columns), got shape {out.shape}")
    return out


def in_unit_interval(metric: str, probs: FloatArray, what: str = "predicted probabilities") -> None:
    """Every value within [0, 1]."""
    low, high = float(probs.min()), float(probs.max())
    if low < 0.0:
        fail(metric, f"{what} must lie in [0, 1]; found {low!r}")
    if high > 1.0:
        fail(metric, f"{what} must lie in [0, 1]; found {high!r}")


def rows_sum_to_one(metric: str, probs: FloatArray) -> None:
    """Each row of a probability matrix sums to 1 (within ROW_SUM_TOLERANCE)."""
    sums = probs.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_TOLERANCE)
    if off.size:
        row = int(off[0])
        fail(
            metric,
            f"each row of predicted probabilities must sum to 1; {off.size} row(s) do not "
            f"(first: row {row + 1} sums to {float(sums[row])!r})",
        )


def non_negative(metric: str, values: FloatArray, what: str) -> None:
    if values.size and float(values.min()) < 0.0:
        fail(metric, f"{what} must not be negative; found {float(values.min())!r}")


def same_length(metric: str, a: AnyArray, b: AnyArray, what: str) -> None:
    if a.shape[0] != b.shape[0]:
        fail(metric, f"{what} has {b.shape[0]} entries for {a.shape[0]} rows")


def paired_vectors(metric: str, y_true: Any, y_pred: Any) -> tuple[FloatArray, FloatArray]:
    """True values and predictions as two finite float vectors of one length."""
    truth = vector(metric, y_true, "true values")
    pred = vector(metric, y_pred, "predictions")
    same_length(metric, truth, pred, "predictions")
    return truth, pred


# --- labels -------------------------------------------------------------------------------


def label_vector(metric: str, values: Any, what: str) -> AnyArray:
    """A 1-D array of class labels (numbers or strings)."""
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        fail(metric, f"{what} must be one column of labels, got shape {arr.shape}")
    if arr.dtype.kind == "O":
        arr = _from_objects(arr)
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        fail(metric, f"{what} contain NaN or infinite values")
    return arr


def _from_objects(values: AnyArray) -> AnyArray:
    """An object array (what pandas gives for a text column) as numbers when it holds only
    numbers, kept as-is when it holds only strings, and as text when it mixes kinds."""
    import pandas as pd  # only for object arrays: importing it costs ~0.15 s on every score

    inferred = pd.api.types.infer_dtype(values, skipna=False)
    if inferred == "string":
        return values
    if inferred in NUMERIC_OBJECTS:
        return np.asarray(values.tolist())
    return values.astype(str)


def sortable(values: AnyArray) -> AnyArray:
    """Labels as an array numpy can sort: numbers stay numbers, anything else becomes str."""
    if is_numeric(values) or values.dtype.kind == "U":
        return values
    return values.astype(str)


def align(a: AnyArray, b: AnyArray) -> tuple[AnyArray, AnyArray]:
    """Two label arrays made comparable with `==`; use both results.

    When one side holds numbers and the other strings (a CSV column of "1"/"0" against an
    integer answer key), the strings are read as numbers if they all parse; otherwise both
    sides are compared as text.
    """
    if is_numeric(a) == is_numeric(b):
        if is_numeric(a):
            return a, b
        return sortable(a), sortable(b)
    num, text = (a, b) if is_numeric(a) else (b, a)
    parsed = _parsed(text, like=num)
    if parsed is None:
        parsed, num = sortable(text), num.astype(str)
    return (num, parsed) if is_numeric(a) else (parsed, num)


def _parsed(text: AnyArray, like: AnyArray) -> AnyArray | None:
    """Text labels read as numbers of the kind of `like`, or None if one does not parse."""
    try:
        parsed: AnyArray = sortable(text).astype(np.float64)
    except ValueError:
        return None
    if like.dtype.kind in "iub" and np.array_equal(parsed, np.round(parsed)):
        return parsed.astype(np.int64)
    return parsed


def into(metric: str, values: Any, reference: AnyArray, what: str) -> AnyArray:
    """Labels given as params, converted to the kind (numbers or text) of `reference`."""
    arr = np.asarray(values)
    if arr.dtype.kind == "O":
        arr = _from_objects(arr)
    if is_numeric(arr) == is_numeric(reference):
        return arr if is_numeric(arr) else sortable(arr)
    if not is_numeric(reference):
        return arr.astype(str)
    parsed = _parsed(arr, like=reference)
    if parsed is None:
        fail(metric, f"{what} holds text ({shown(arr)}) but the true values are numbers")
    return parsed


def given_labels(metric: str, labels: Any, like: AnyArray) -> AnyArray | None:
    """The `labels` param in the kind of `like`, or None when not given."""
    if labels is None:
        return None
    arr = into(metric, labels, like, "param 'labels'")
    if arr.ndim != 1 or arr.size == 0:
        fail(metric, "param 'labels' must be a non-empty list of class labels")
    if np.unique(arr).size != arr.size:
        fail(metric, f"param 'labels' repeats a label: {shown(arr)}")
    return arr


def encode(metric: str, values: AnyArray, classes: AnyArray, what: str) -> IntArray:
    """Index of each value in `classes`; a value outside `classes` is an error."""
    values, classes = align(values, classes)
    order = np.argsort(classes, kind="stable")
    ordered = classes[order]
    idx = np.searchsorted(ordered, values)
    np.minimum(idx, ordered.size - 1, out=idx)
    known = ordered[idx] == values
    if not known.all():
        bad = np.unique(values[~known])
        fail(metric, f"{what} hold label(s) not in labels [{shown(classes)}]: {shown(bad)}")
    codes: IntArray = order[idx]
    return codes


def distinct(values: AnyArray) -> AnyArray:
    """Sorted distinct labels; a linear-time path for the common binary numeric case."""
    if is_numeric(values) and values.size:
        low, high = values.min(), values.max()
        if low == high:
            return np.asarray([low])
        if np.count_nonzero((values == low) | (values == high)) == values.size:
            return np.asarray([low, high])
    return np.unique(sortable(values))


def in_labels(metric: str, values: AnyArray, classes: AnyArray, what: str) -> None:
    """Every value is one of `classes`."""
    found = distinct(values)
    found_aligned, classes_aligned = align(found, classes)
    missing = ~np.isin(found_aligned, classes_aligned)
    if missing.any():
        bad = found[missing]
        fail(metric, f"{what} hold label(s) not in labels [{shown(classes)}]: {shown(bad)}")


def positive_class(metric: str, values: AnyArray, labels: Any = None, pos_label: Any = None) -> Any:
    """The positive class of a binary task, in the kind of `values` (the labels seen).

    Rule: param `pos_label` if given; else `labels`, read as (negative, positive); else the
    larger of the two labels seen (sorted order, so 1 for 0/1 and "yes" for "no"/"yes").
    When only one label is seen, 0 or 1 mean the 0/1 convention; anything else is ambiguous.
    """
    seen = distinct(values)
    classes = given_labels(metric, labels, seen)
    if classes is not None:
        if classes.size != 2:
            fail(metric, f"a binary metric needs exactly 2 labels, got [{shown(classes)}]")
        in_labels(metric, seen, classes, "true values")
    elif seen.size > 2:
        fail(metric, f"is binary but the true values hold {seen.size} classes: {shown(seen)}")
    if pos_label is not None:
        pos = into(metric, [pos_label], seen, "param 'pos_label'")
        known = classes if classes is not None else seen
        if (classes is not None or seen.size == 2) and not np.isin(pos, known).all():
            fail(metric, f"pos_label {pos_label!r} is not one of the labels [{shown(known)}]")
        return pos[0]
    if classes is not None:
        return classes[1]
    if seen.size == 2:
        return seen[1]
    if is_numeric(seen) and seen[0] in (0, 1):
        return 1
    fail(
        metric,
        f"the true values hold only the label {seen[0]!r}, so the positive class is "
        "ambiguous; give param 'labels' (negative, positive) or 'pos_label'",
    )


def binary_truth(metric: str, y_true: Any, params: Params) -> BoolArray:
    """y_true as a boolean 'is positive' vector (see `positive_class` for the rule)."""
    truth = label_vector(metric, y_true, "true values")
    positive = positive_class(metric, truth, params.get("labels"), params.get("pos_label"))
    mask: BoolArray = np.asarray(truth == positive, dtype=np.bool_)
    return mask


def require_both_classes(metric: str, positive: BoolArray) -> None:
    """At least one positive and one negative row."""
    count = int(np.count_nonzero(positive))
    if count == 0:
        fail(metric, "is undefined when the true values hold no positive row (only one class)")
    if count == positive.size:
        fail(metric, "is undefined when the true values hold no negative row (only one class)")


def positive_int(metric: str, value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        fail(metric, f"param {name!r} must be a positive integer, got {value!r}")
    return int(value)


def required(metric: str, params: Params, name: str) -> Any:
    value = params.get(name)
    if value is None:
        fail(metric, f"needs the param {name!r}")
    return value
