"""Classification metrics: labels, probabilities, ordinal ratings and multilabel sets.

The positive class of every binary metric follows one rule (see `_validate.positive_class`):
param `pos_label`, else `labels` read as (negative, positive), else the larger of the two
labels in the answer key. Multiclass probability columns follow the order of `labels`, or
the sorted distinct labels of the answer key when `labels` is not given.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trackrecord.metrics._validate import (
    AnyArray,
    BoolArray,
    FloatArray,
    IntArray,
    Params,
    align,
    binary_truth,
    checker,
    distinct,
    encode,
    fail,
    given_labels,
    in_labels,
    in_unit_interval,
    label_vector,
    matrix,
    positive_class,
    require_both_classes,
    rows_sum_to_one,
    same_length,
    shown,
    sortable,
    vector,
)
from trackrecord.metrics.registry import Direction, InputKind, metric

# Probabilities are clipped to [EPS, 1 - EPS] before the log, as scikit-learn does
# (numpy.finfo(float64).eps, about 2.22e-16), so a confident mistake costs about 36.04.
EPS = float(np.finfo(np.float64).eps)
# Ratings further apart than this would need an unreasonably large weight matrix.
MAX_RATING_LEVELS = 10_000

LABEL_PARAMS = ("labels",)
BINARY_PARAMS = ("labels", "pos_label")


# --- helpers: labels ------------------------------------------------------------------------


def _label_pair(metric: str, y_true: Any, y_pred: Any, params: Params) -> tuple[AnyArray, AnyArray]:
    """True and predicted labels, comparable with `==`, checked against param `labels`."""
    truth = label_vector(metric, y_true, "true values")
    pred = label_vector(metric, y_pred, "predictions")
    same_length(metric, truth, pred, "predictions")
    truth, pred = align(truth, pred)
    classes = given_labels(metric, params.get("labels"), truth)
    if classes is not None:
        in_labels(metric, truth, classes, "true values")
        in_labels(metric, pred, classes, "predictions")
    return truth, pred


def _label_codes(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[IntArray, IntArray, int]:
    """Both label vectors as indices into the sorted union of the labels they hold."""
    truth, pred = _label_pair(metric, y_true, y_pred, params)
    classes = np.unique(np.concatenate([sortable(truth), sortable(pred)]))
    t = encode(metric, truth, classes, "true values")
    p = encode(metric, pred, classes, "predictions")
    return t, p, int(classes.size)


def _per_class_counts(t: IntArray, p: IntArray, k: int) -> tuple[IntArray, IntArray, IntArray]:
    """(true positives, true count, predicted count) per class, without a k x k matrix."""
    hit = np.bincount(t[t == p], minlength=k)
    return hit, np.bincount(t, minlength=k), np.bincount(p, minlength=k)


def _f1(tp: Any, n_true: Any, n_pred: Any) -> FloatArray:
    """F1 = 2 tp / (true count + predicted count); 0 where both are 0 (sklearn's default)."""
    tp_f = np.asarray(tp, dtype=np.float64)
    denom = np.asarray(n_true, dtype=np.float64) + np.asarray(n_pred, dtype=np.float64)
    out = np.zeros_like(tp_f)
    np.divide(2.0 * tp_f, denom, out=out, where=denom > 0)
    return out


# --- label metrics --------------------------------------------------------------------------


@metric(
    "accuracy",
    direction=Direction.MAXIMIZE,
    kind=InputKind.LABELS,
    description="Share of rows whose predicted label equals the true label.",
    sklearn="sklearn.metrics.accuracy_score",
    params=LABEL_PARAMS,
    validate=checker(_label_pair, "accuracy"),
    aliases=("acc",),
)
def accuracy(y_true: Any, y_pred: Any, *, labels: Any = None) -> float:
    """Fraction of exact label matches."""
    truth, pred = _label_pair("accuracy", y_true, y_pred, {"labels": labels})
    return float(np.count_nonzero(truth == pred)) / truth.size


@metric(
    "balanced_accuracy",
    direction=Direction.MAXIMIZE,
    kind=InputKind.LABELS,
    description="Mean recall over the classes present in the answer key.",
    sklearn="sklearn.metrics.balanced_accuracy_score",
    params=LABEL_PARAMS,
    validate=checker(_label_codes, "balanced_accuracy"),
    aliases=("balanced_acc",),
)
def balanced_accuracy(y_true: Any, y_pred: Any, *, labels: Any = None) -> float:
    """Average of per-class recall; predicted classes absent from y_true are ignored."""
    t, p, k = _label_codes("balanced_accuracy", y_true, y_pred, {"labels": labels})
    hit, n_true, _ = _per_class_counts(t, p, k)
    present = n_true > 0
    return float(np.mean(hit[present] / n_true[present]))


def _binary_label_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[BoolArray, BoolArray]:
    truth, pred = _label_pair(metric, y_true, y_pred, params)
    seen = distinct(np.concatenate([sortable(truth), sortable(pred)]))
    positive = positive_class(metric, seen, params.get("labels"), params.get("pos_label"))
    return truth == positive, pred == positive


@metric(
    "f1",
    direction=Direction.MAXIMIZE,
    kind=InputKind.LABELS,
    description="F1 score of the positive class of a binary task.",
    sklearn="sklearn.metrics.f1_score",
    params=BINARY_PARAMS,
    validate=checker(_binary_label_pair, "f1"),
    aliases=("f1_score", "binary_f1"),
)
def f1(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = None) -> float:
    """2 tp / (2 tp + fp + fn) for the positive class; 0 when there is nothing to count."""
    params = {"labels": labels, "pos_label": pos_label}
    truth, pred = _binary_label_pair("f1", y_true, y_pred, params)
    tp = np.count_nonzero(truth & pred)
    return float(_f1(tp, np.count_nonzero(truth), np.count_nonzero(pred)))


@metric(
    "macro_f1",
    direction=Direction.MAXIMIZE,
    kind=InputKind.LABELS,
    description="Unweighted mean of per-class F1 over the labels in y_true or y_pred.",
    sklearn="sklearn.metrics.f1_score",
    params=LABEL_PARAMS,
    validate=checker(_label_codes, "macro_f1"),
    aliases=("f1_macro",),
)
def macro_f1(y_true: Any, y_pred: Any, *, labels: Any = None) -> float:
    """Mean F1 over every class that occurs in the answer key or the predictions."""
    t, p, k = _label_codes("macro_f1", y_true, y_pred, {"labels": labels})
    hit, n_true, n_pred = _per_class_counts(t, p, k)
    return float(np.mean(_f1(hit, n_true, n_pred)))


# --- ordinal ratings ------------------------------------------------------------------------


def _ratings(metric: str, values: Any, what: str) -> IntArray:
    arr = vector(metric, values, what)
    if not np.array_equal(arr, np.round(arr)):
        fail(metric, f"{what} must be integer ratings, got {shown(arr[arr != np.round(arr)])}")
    out: IntArray = arr.astype(np.intp)
    return out


def _rating_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[IntArray, IntArray, int]:
    """Ratings shifted to start at 0, and the number of levels of the rating scale."""
    truth = _ratings(metric, y_true, "true values")
    pred = _ratings(metric, y_pred, "predictions")
    same_length(metric, truth, pred, "predictions")
    low = min(int(truth.min()), int(pred.min()))
    high = max(int(truth.max()), int(pred.max()))
    if low == high:
        # Observed and chance-expected disagreement are both 0: kappa is 0 / 0.
        fail(metric, "is undefined when y_true and y_pred hold one and the same single rating")
    if params.get("labels") is not None:
        scale = _ratings(metric, params["labels"], "param 'labels'")
        in_labels(metric, truth, scale, "true values")
        in_labels(metric, pred, scale, "predictions")
        low, high = int(scale.min()), int(scale.max())
    if high - low >= MAX_RATING_LEVELS:
        fail(metric, f"ratings span {high - low + 1} levels (at most {MAX_RATING_LEVELS})")
    return truth - low, pred - low, high - low + 1


@metric(
    "quadratic_weighted_kappa",
    direction=Direction.MAXIMIZE,
    kind=InputKind.LABELS,
    description="Cohen's kappa with quadratic weights over integer ratings (1 = perfect).",
    sklearn="sklearn.metrics.cohen_kappa_score",
    params=LABEL_PARAMS,
    validate=checker(_rating_pair, "quadratic_weighted_kappa"),
    aliases=("qwk", "quadratic_kappa", "cohen_kappa_quadratic"),
)
def quadratic_weighted_kappa(y_true: Any, y_pred: Any, *, labels: Any = None) -> float:
    """1 - sum(W * observed) / sum(W * expected), W[i, j] = (i - j)^2 over rating values."""
    name = "quadratic_weighted_kappa"
    t, p, m = _rating_pair(name, y_true, y_pred, {"labels": labels})
    observed = np.bincount(t * m + p, minlength=m * m).reshape(m, m).astype(np.float64)
    hist_t = observed.sum(axis=1)
    hist_p = observed.sum(axis=0)
    expected = np.outer(hist_t, hist_p) / t.size
    levels = np.arange(m, dtype=np.float64)
    weights = (levels[:, None] - levels[None, :]) ** 2
    return 1.0 - float(np.sum(weights * observed)) / float(np.sum(weights * expected))


# --- multilabel -----------------------------------------------------------------------------


def _indicators(metric: str, values: Any, what: str) -> BoolArray:
    arr = matrix(metric, values, what)
    if not ((arr == 0) | (arr == 1)).all():
        fail(metric, f"{what} must hold only 0 and 1, got {shown(arr[(arr != 0) & (arr != 1)])}")
    out: BoolArray = arr == 1
    return out


def _indicator_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[BoolArray, BoolArray]:
    truth = _indicators(metric, y_true, "true values")
    pred = _indicators(metric, y_pred, "predictions")
    if truth.shape != pred.shape:
        fail(metric, f"predictions have shape {pred.shape} but true values {truth.shape}")
    labels = params.get("labels")
    if labels is not None and np.asarray(labels).size != truth.shape[1]:
        fail(
            metric,
            f"param 'labels' names {np.asarray(labels).size} labels "
            f"but the data has {truth.shape[1]} columns",
        )
    return truth, pred


@metric(
    "hamming_loss",
    direction=Direction.MINIMIZE,
    kind=InputKind.MULTILABEL,
    description="Share of (row, label) cells predicted wrong in a 0/1 multilabel table.",
    sklearn="sklearn.metrics.hamming_loss",
    params=LABEL_PARAMS,
    validate=checker(_indicator_pair, "hamming_loss"),
    aliases=("hamming",),
)
def hamming_loss(y_true: Any, y_pred: Any, *, labels: Any = None) -> float:
    """Mean of y_true != y_pred over every cell."""
    truth, pred = _indicator_pair("hamming_loss", y_true, y_pred, {"labels": labels})
    return float(np.count_nonzero(truth != pred)) / truth.size


@metric(
    "micro_f1",
    direction=Direction.MAXIMIZE,
    kind=InputKind.MULTILABEL,
    description="F1 from true and false positives and negatives pooled over every (row, label)"
    " cell of a 0/1 multilabel table.",
    sklearn="sklearn.metrics.f1_score",
    params=LABEL_PARAMS,
    validate=checker(_indicator_pair, "micro_f1"),
    aliases=("f1_micro",),
)
def micro_f1(y_true: Any, y_pred: Any, *, labels: Any = None) -> float:
    """2 tp / (2 tp + fp + fn) over every cell; 0 when no cell is positive in either."""
    truth, pred = _indicator_pair("micro_f1", y_true, y_pred, {"labels": labels})
    tp = np.count_nonzero(truth & pred)
    wrong = np.count_nonzero(truth != pred)
    return float(2 * tp / (2 * tp + wrong)) if tp + wrong else 0.0


# --- probabilities and scores ---------------------------------------------------------------


def _binary_scores(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[BoolArray, FloatArray]:
    """y_true as 'is positive', y_pred as one column of real-valued scores."""
    positive = binary_truth(metric, y_true, params)
    scores = vector(metric, y_pred, "predictions")
    same_length(metric, positive, scores, "predictions")
    return positive, scores


def _binary_probs(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[BoolArray, FloatArray]:
    """Like `_binary_scores`, and every prediction is a probability in [0, 1]."""
    positive, probs = _binary_scores(metric, y_true, y_pred, params)
    in_unit_interval(metric, probs)
    return positive, probs


def _is_multiclass(y_pred: Any) -> bool:
    shape = np.shape(y_pred)
    return len(shape) == 2 and shape[1] > 1


def _class_probs(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[IntArray, FloatArray]:
    """Class index per row (column order = `labels`) and the (n, k) probability matrix."""
    if params.get("pos_label") is not None:
        fail(metric, "param 'pos_label' applies to binary predictions only (one column)")
    probs = matrix(metric, y_pred, "predictions")
    in_unit_interval(metric, probs)
    rows_sum_to_one(metric, probs)
    truth = label_vector(metric, y_true, "true values")
    same_length(metric, truth, probs, "predictions")
    classes = given_labels(metric, params.get("labels"), truth)
    if classes is None:
        classes = np.unique(sortable(truth))
        if classes.size != probs.shape[1]:
            fail(
                metric,
                f"predictions have {probs.shape[1]} columns but the true values hold "
                f"{classes.size} classes; give param 'labels' (the class of each column)",
            )
    elif classes.size != probs.shape[1]:
        fail(metric, f"predictions have {probs.shape[1]} columns but 'labels' names {classes.size}")
    return encode(metric, truth, classes, "true values"), probs


def _prob_inputs(metric: str, y_true: Any, y_pred: Any, params: Params) -> object:
    if _is_multiclass(y_pred):
        return _class_probs(metric, y_true, y_pred, params)
    return _binary_probs(metric, y_true, y_pred, params)


def _ranked_binary(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[BoolArray, FloatArray]:
    """Binary scores for a ranking metric, which needs both classes in y_true."""
    positive, scores = _binary_scores(metric, y_true, y_pred, params)
    require_both_classes(metric, positive)
    return positive, scores


def _one_vs_rest(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[IntArray, FloatArray]:
    codes, probs = _class_probs(metric, y_true, y_pred, params)
    _every_class_both_ways(metric, codes, probs.shape[1], params)
    return codes, probs


def _auc_inputs(metric: str, y_true: Any, y_pred: Any, params: Params) -> object:
    if _is_multiclass(y_pred):
        return _one_vs_rest(metric, y_true, y_pred, params)
    return _ranked_binary(metric, y_true, y_pred, params)


def _every_class_both_ways(metric: str, codes: IntArray, k: int, params: Params) -> None:
    """One-vs-rest needs each class to have rows in y_true and rows outside it."""
    counts = np.bincount(codes, minlength=k)
    bad = np.flatnonzero((counts == 0) | (counts == codes.size))
    if bad.size:
        labels = params.get("labels")
        names = np.asarray(labels)[bad] if labels is not None else bad
        fail(
            metric,
            f"one-vs-rest AUC is undefined for class(es) {shown(names)}: each class needs "
            "rows both in and outside it in the true values",
        )


def _sorted_by_class(positive: BoolArray, scores: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The scores of the positive rows and of the negative rows, each sorted ascending.

    `np.compress` is 2-3x faster than `scores[positive]` in numpy 2.4, and sorting the
    copies in place avoids `np.sort`'s second copy: at 10M rows fresh memory is a large
    part of the cost (docs/benchmarks.md)."""
    pos = np.compress(positive, scores)
    pos.sort()
    neg = np.compress(~positive, scores)
    neg.sort()
    return pos, neg


def _binary_auc(positive: BoolArray, scores: FloatArray) -> float:
    """Mann-Whitney U / (n_pos * n_neg): P(score of a positive > score of a negative),
    ties counted one half. Two sorts and one binary search, O(n log n), no argsort."""
    pos, neg = _sorted_by_class(positive, scores)
    below = np.searchsorted(neg, pos, side="left")  # negatives strictly below each positive
    u = float(below.sum(dtype=np.int64))
    tied = neg.take(below, mode="clip") == pos  # the positives equal to some negative
    if tied.any():
        above = np.searchsorted(neg, pos[tied], side="right")
        u += 0.5 * float((above - below[tied]).sum(dtype=np.int64))
    return u / (float(pos.size) * float(neg.size))


@metric(
    "roc_auc",
    direction=Direction.MAXIMIZE,
    kind=InputKind.PROBABILITIES,
    description="Area under the ROC curve; multiclass: one-vs-rest, macro average.",
    sklearn="sklearn.metrics.roc_auc_score",
    needs_two_classes=True,
    params=BINARY_PARAMS,
    validate=checker(_auc_inputs, "roc_auc"),
    aliases=("auc", "auroc", "roc_auc_score"),
)
def roc_auc(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = None) -> float:
    """Binary: y_pred is any real score of the positive class. Multiclass: y_pred is (n, k)
    probabilities in the column order of `labels`; the mean of k one-vs-rest AUCs."""
    params = {"labels": labels, "pos_label": pos_label}
    if not _is_multiclass(y_pred):
        return _binary_auc(*_ranked_binary("roc_auc", y_true, y_pred, params))
    codes, probs = _one_vs_rest("roc_auc", y_true, y_pred, params)
    aucs = [_binary_auc(codes == c, probs[:, c]) for c in range(probs.shape[1])]
    return float(np.mean(aucs))


def _average_precision(positive: BoolArray, scores: FloatArray) -> float:
    """Sum over distinct thresholds, high to low, of (recall step) x precision.

    Only thresholds holding a positive move recall: for each distinct positive score v with
    c positives, the step is c / n_pos and precision is #pos(>= v) / #rows(>= v)."""
    pos, neg = _sorted_by_class(positive, scores)
    starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
    counts = np.diff(np.append(starts, pos.size))
    tp = pos.size - starts
    fp = neg.size - np.searchsorted(neg, pos[starts], side="left")
    return float(np.dot(counts, tp / (tp + fp))) / pos.size


def _ap_inputs(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[BoolArray, FloatArray]:
    if _is_multiclass(y_pred):
        fail(metric, "is binary: predictions must be one column (score of the positive class)")
    return _ranked_binary(metric, y_true, y_pred, params)


@metric(
    "pr_auc",
    direction=Direction.MAXIMIZE,
    kind=InputKind.PROBABILITIES,
    description="Average precision: area under the precision-recall curve (binary).",
    sklearn="sklearn.metrics.average_precision_score",
    needs_two_classes=True,
    params=BINARY_PARAMS,
    validate=checker(_ap_inputs, "pr_auc"),
    aliases=("average_precision", "ap", "auprc"),
)
def pr_auc(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = None) -> float:
    """Average precision of a real-valued score for the positive class."""
    params = {"labels": labels, "pos_label": pos_label}
    positive, scores = _ap_inputs("pr_auc", y_true, y_pred, params)
    return _average_precision(positive, scores)


@metric(
    "log_loss",
    direction=Direction.MINIMIZE,
    kind=InputKind.PROBABILITIES,
    description="Mean negative log-likelihood of the true class (cross-entropy).",
    sklearn="sklearn.metrics.log_loss",
    params=BINARY_PARAMS,
    validate=checker(_prob_inputs, "log_loss"),
    aliases=("logloss", "cross_entropy"),
)
def log_loss(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = None) -> float:
    """-mean(log p(true class)), p clipped to [EPS, 1 - EPS]. Binary: y_pred = P(positive)."""
    params = {"labels": labels, "pos_label": pos_label}
    if _is_multiclass(y_pred):
        codes, probs = _class_probs("log_loss", y_true, y_pred, params)
        chosen = probs[np.arange(codes.size), codes]
    else:
        positive, p = _binary_probs("log_loss", y_true, y_pred, params)
        # 1 - p first, then clip: the order scikit-learn uses, so 1 - 1e-17 rounds alike.
        chosen = np.where(positive, p, 1.0 - p)
    np.clip(chosen, EPS, 1.0 - EPS, out=chosen)
    return -float(np.mean(np.log(chosen)))


def _brier_inputs(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[BoolArray, FloatArray]:
    if _is_multiclass(y_pred):
        fail(metric, "is binary: predictions must be one column P(positive)")
    return _binary_probs(metric, y_true, y_pred, params)


@metric(
    "brier",
    direction=Direction.MINIMIZE,
    kind=InputKind.PROBABILITIES,
    description="Mean squared difference between P(positive) and the 0/1 outcome.",
    sklearn="sklearn.metrics.brier_score_loss",
    params=BINARY_PARAMS,
    validate=checker(_brier_inputs, "brier"),
    aliases=("brier_score", "brier_score_loss"),
)
def brier(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = None) -> float:
    """mean((p - y)^2) with y = 1 for the positive class, 0 otherwise."""
    params = {"labels": labels, "pos_label": pos_label}
    positive, p = _brier_inputs("brier", y_true, y_pred, params)
    diff = p - positive
    return float(np.dot(diff, diff)) / diff.size
