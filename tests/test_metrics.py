"""Built-in metrics: the registry walk with golden cases, scikit-learn oracles, edge cases
and error messages. Property tests against slow reference implementations live in
test_metrics_properties.py."""

from __future__ import annotations

import importlib
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from trackrecord.errors import InvalidMetricInput
from trackrecord.metrics import Direction, InputKind, all_metrics, get_metric

GOLDEN = json.loads((Path(__file__).parent / "data" / "metric_golden.json").read_text())
CASES = GOLDEN["cases"]
EPS = np.finfo(np.float64).eps
ORACLE = settings(max_examples=50, deadline=None)


def shipped() -> list[Any]:
    """Every metric the package registers (tests elsewhere may register throwaway ones)."""
    return [m for m in all_metrics() if m.fn.__module__.startswith("trackrecord.")]


def close(value: float) -> Any:
    return pytest.approx(value, rel=1e-9, abs=1e-12)


def quiet(fn: Callable[..., float], *args: Any, **kwargs: Any) -> float:
    """Call a scikit-learn metric without its warnings (undefined-metric, deprecation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(fn(*args, **kwargs))


# --- the registry walk ------------------------------------------------------------------------


def test_every_registered_metric_has_a_golden_case() -> None:
    covered = {get_metric(case["metric"]).name for case in CASES}
    missing = sorted(m.name for m in shipped() if m.name not in covered)
    assert not missing, f"metrics without a golden case in metric_golden.json: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['metric']}-{i}" for i, c in enumerate(CASES)])
def test_golden_case(case: dict[str, Any]) -> None:
    m = get_metric(case["metric"])
    assert m(case["y_true"], case["y_pred"], **case["params"]) == close(case["expected"])


REQUIRED = {
    "accuracy": (Direction.MAXIMIZE, InputKind.LABELS),
    "balanced_accuracy": (Direction.MAXIMIZE, InputKind.LABELS),
    "f1": (Direction.MAXIMIZE, InputKind.LABELS),
    "macro_f1": (Direction.MAXIMIZE, InputKind.LABELS),
    "micro_f1": (Direction.MAXIMIZE, InputKind.MULTILABEL),
    "roc_auc": (Direction.MAXIMIZE, InputKind.PROBABILITIES),
    "pr_auc": (Direction.MAXIMIZE, InputKind.PROBABILITIES),
    "log_loss": (Direction.MINIMIZE, InputKind.PROBABILITIES),
    "brier": (Direction.MINIMIZE, InputKind.PROBABILITIES),
    "quadratic_weighted_kappa": (Direction.MAXIMIZE, InputKind.LABELS),
    "rmse": (Direction.MINIMIZE, InputKind.VALUES),
    "rmsle": (Direction.MINIMIZE, InputKind.VALUES),
    "mae": (Direction.MINIMIZE, InputKind.VALUES),
    "mape": (Direction.MINIMIZE, InputKind.VALUES),
    "r2": (Direction.MAXIMIZE, InputKind.VALUES),
    "poisson_deviance": (Direction.MINIMIZE, InputKind.VALUES),
    "mase": (Direction.MINIMIZE, InputKind.VALUES),
    "ndcg_at_k": (Direction.MAXIMIZE, InputKind.SCORES),
    "map_at_k": (Direction.MAXIMIZE, InputKind.SCORES),
    "adjusted_rand": (Direction.MAXIMIZE, InputKind.CLUSTERS),
    "hamming_loss": (Direction.MINIMIZE, InputKind.MULTILABEL),
    "concordance_index": (Direction.MAXIMIZE, InputKind.RISK),
}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_metric_is_registered_with_direction_and_kind(name: str) -> None:
    m = get_metric(name)
    assert (m.direction, m.kind) == REQUIRED[name]


@pytest.mark.parametrize("m", shipped(), ids=lambda m: m.name)
def test_metric_declares_a_sound_contract(m: Any) -> None:
    assert m.description
    assert m.validate is not None
    if m.name.endswith(("_loss", "_deviance")) or m.name in {
        "rmse",
        "rmsle",
        "mae",
        "mape",
        "mase",
        "brier",
    }:
        assert m.direction is Direction.MINIMIZE
    if m.sklearn is not None:
        module, _, attr = m.sklearn.rpartition(".")
        assert callable(getattr(importlib.import_module(module), attr))
    for alias in m.aliases:
        assert get_metric(alias) is m


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("ROC-AUC", "roc_auc"),
        ("auc", "roc_auc"),
        ("RMSE", "rmse"),
        ("qwk", "quadratic_weighted_kappa"),
        ("average-precision", "pr_auc"),
        ("c-index", "concordance_index"),
        ("ndcg", "ndcg_at_k"),
    ],
)
def test_aliases_are_case_and_dash_insensitive(alias: str, name: str) -> None:
    assert get_metric(alias).name == name


def test_needs_two_classes_is_declared_where_one_class_is_undefined() -> None:
    flagged = {m.name for m in shipped() if m.needs_two_classes}
    assert flagged == {"roc_auc", "pr_auc"}


# --- scikit-learn oracles: binary probabilities and scores --------------------------------


TIE_PRONE = st.one_of(
    st.sampled_from([0.0, 1.0, 0.5, 0.25, 1e-300, 1 - 1e-16, EPS, 1 - EPS]),
    st.floats(0.0, 1.0),
)


@st.composite
def binary_probs(draw: st.DrawFn, both: bool = True) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 40))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    p = np.array(draw(st.lists(TIE_PRONE, min_size=n, max_size=n)))
    if both and y.min() == y.max():
        y = np.r_[y, 1 - y[0]]
        p = np.r_[p, draw(TIE_PRONE)]
    return y, p


@ORACLE
@given(binary_probs())
def test_roc_auc_matches_sklearn(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    assert get_metric("roc_auc")(y, p) == close(skm.roc_auc_score(y, p))


@ORACLE
@given(binary_probs())
def test_pr_auc_matches_sklearn(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    assert get_metric("pr_auc")(y, p) == close(skm.average_precision_score(y, p))


@ORACLE
@given(binary_probs())
def test_log_loss_matches_sklearn_including_0_and_1(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    assert get_metric("log_loss")(y, p) == close(quiet(skm.log_loss, y, p))


@ORACLE
@given(binary_probs(both=False))
def test_log_loss_with_labels_matches_sklearn_on_one_class(
    case: tuple[np.ndarray, np.ndarray],
) -> None:
    y, p = case
    expected = quiet(skm.log_loss, y, p, labels=[0, 1])
    assert get_metric("log_loss")(y, p, labels=[0, 1]) == close(expected)


@ORACLE
@given(binary_probs(both=False))
def test_brier_matches_sklearn(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    expected = quiet(skm.brier_score_loss, y, p, pos_label=1)
    assert get_metric("brier")(y, p, labels=[0, 1]) == close(expected)


@pytest.mark.parametrize("p", [0.0, 1.0, 1e-300, 1 - 1e-16, 1e-17, EPS / 2])
@pytest.mark.parametrize("y", [0, 1])
def test_log_loss_clips_extreme_probabilities_like_sklearn(p: float, y: int) -> None:
    yt, yp = np.array([y, 1 - y]), np.array([p, 0.5])
    assert get_metric("log_loss")(yt, yp) == close(quiet(skm.log_loss, yt, yp))


def test_log_loss_of_a_confident_mistake_is_minus_log_eps() -> None:
    assert get_metric("log_loss")([1], [0.0], labels=[0, 1]) == close(-np.log(EPS))
    assert get_metric("log_loss")([0], [1.0], labels=[0, 1]) == close(-np.log(EPS))


def test_binary_metrics_agree_on_string_labels() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    p = np.round(rng.random(500), 2)
    words = np.where(y == 1, "yes", "no")
    for name, fn in [
        ("roc_auc", skm.roc_auc_score),
        ("pr_auc", skm.average_precision_score),
        ("log_loss", skm.log_loss),
        ("brier", skm.brier_score_loss),
    ]:
        assert get_metric(name)(words, p) == close(quiet(fn, y, p)), name
        assert get_metric(name)(words, 1 - p, pos_label="no") == close(quiet(fn, 1 - y, 1 - p)), (
            name
        )
        assert get_metric(name)(words, 1 - p, labels=["yes", "no"]) == close(
            quiet(fn, 1 - y, 1 - p)
        )


def test_roc_auc_of_constant_predictions_is_one_half() -> None:
    assert get_metric("roc_auc")([0, 1, 1, 0, 1], [0.7] * 5) == 0.5


def test_roc_auc_with_every_pair_tied_but_one() -> None:
    y = np.array([0] * 50 + [1] * 50)
    p = np.r_[np.zeros(99), 1.0]
    assert get_metric("roc_auc")(y, p) == close(skm.roc_auc_score(y, p))


def test_binary_metrics_on_large_inputs_match_sklearn() -> None:
    rng = np.random.default_rng(7)
    n = 300_000
    y = rng.integers(0, 2, n)
    p = np.clip(np.round(rng.normal(0.4 + 0.2 * y, 0.2), 3), 0, 1)
    assert get_metric("roc_auc")(y, p) == close(skm.roc_auc_score(y, p))
    assert get_metric("pr_auc")(y, p) == close(skm.average_precision_score(y, p))
    assert get_metric("log_loss")(y, p) == close(skm.log_loss(y, p))
    assert get_metric("brier")(y, p) == close(skm.brier_score_loss(y, p))


# --- scikit-learn oracles: multiclass probabilities -----------------------------------------


@st.composite
def multiclass_probs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    k = draw(st.integers(2, 5))
    n = draw(st.integers(1, 30))
    y = np.r_[np.arange(k), draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))]
    raw = np.array(
        draw(
            st.lists(
                st.sampled_from([0.0, 1.0, 2.0, 3.0, 1e-9]),
                min_size=k * y.size,
                max_size=k * y.size,
            )
        )
    ).reshape(y.size, k)
    raw[raw.sum(axis=1) == 0, 0] = 1.0
    return y, raw / raw.sum(axis=1, keepdims=True)


@ORACLE
@given(multiclass_probs())
def test_multiclass_roc_auc_matches_sklearn_ovr_macro(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    k = p.shape[1]
    expected = (
        skm.roc_auc_score(y, p, multi_class="ovr", labels=np.arange(k))
        if k > 2
        else (skm.roc_auc_score(y, p[:, 1]))
    )
    assert get_metric("roc_auc")(y, p, labels=list(range(k))) == close(expected)


@ORACLE
@given(multiclass_probs())
def test_multiclass_log_loss_matches_sklearn(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    assert get_metric("log_loss")(y, p) == close(quiet(skm.log_loss, y, p))


def test_multiclass_columns_follow_labels_order() -> None:
    rng = np.random.default_rng(11)
    y = rng.choice(np.array(["cat", "dog", "emu"]), 200)
    p = rng.dirichlet(np.ones(3), 200)
    shuffled = [2, 0, 1]
    labels = ["emu", "cat", "dog"]
    for name in ("roc_auc", "log_loss"):
        assert get_metric(name)(y, p[:, shuffled], labels=labels) == close(get_metric(name)(y, p))
    assert get_metric("log_loss")(y, p) == close(skm.log_loss(y, p))
    assert get_metric("roc_auc")(y, p) == close(skm.roc_auc_score(y, p, multi_class="ovr"))


def test_multiclass_labels_absent_from_a_split_are_allowed_for_log_loss() -> None:
    y = np.array([0, 0, 1])
    p = np.array([[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.1, 0.8, 0.1]])
    assert get_metric("log_loss")(y, p, labels=[0, 1, 2]) == close(
        skm.log_loss(y, p, labels=[0, 1, 2])
    )


# --- scikit-learn oracles: labels -------------------------------------------------------------


@st.composite
def label_pairs(draw: st.DrawFn, k: int = 4) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 50))
    labels = st.integers(0, k - 1)
    y = np.array(draw(st.lists(labels, min_size=n, max_size=n)))
    p = np.array(draw(st.lists(labels, min_size=n, max_size=n)))
    return y, p


@ORACLE
@given(label_pairs())
def test_label_metrics_match_sklearn(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    assert get_metric("accuracy")(y, p) == close(skm.accuracy_score(y, p))
    assert get_metric("balanced_accuracy")(y, p) == close(quiet(skm.balanced_accuracy_score, y, p))
    assert get_metric("macro_f1")(y, p) == close(quiet(skm.f1_score, y, p, average="macro"))


@ORACLE
@given(label_pairs(k=2), st.sampled_from([0, 1]))
def test_f1_matches_sklearn(case: tuple[np.ndarray, np.ndarray], pos_label: int) -> None:
    y, p = case
    expected = quiet(skm.f1_score, y, p, pos_label=pos_label, labels=[0, 1])
    assert get_metric("f1")(y, p, pos_label=pos_label) == close(expected)


def test_f1_on_strings_with_default_positive_matches_sklearn() -> None:
    y = np.array(["no", "yes", "yes", "no", "yes"])
    p = np.array(["yes", "yes", "no", "no", "yes"])
    assert get_metric("f1")(y, p) == close(skm.f1_score(y, p, pos_label="yes"))


@ORACLE
@given(label_pairs(k=6))
def test_quadratic_weighted_kappa_matches_sklearn_on_the_rating_range(
    case: tuple[np.ndarray, np.ndarray],
) -> None:
    y, p = case
    scale = np.arange(min(y.min(), p.min()), max(y.max(), p.max()) + 1)
    if y.min() == y.max() == p.min() == p.max():
        with pytest.raises(InvalidMetricInput, match="single rating"):
            get_metric("qwk")(y, p)
        return
    expected = quiet(skm.cohen_kappa_score, y, p, weights="quadratic", labels=scale)
    assert get_metric("quadratic_weighted_kappa")(y, p) == close(expected)


def test_quadratic_weighted_kappa_with_labels_uses_their_range() -> None:
    y, p = np.array([1, 2, 2, 3]), np.array([1, 3, 2, 2])
    expected = skm.cohen_kappa_score(y, p, weights="quadratic", labels=[0, 1, 2, 3, 4])
    assert get_metric("qwk")(y, p, labels=[0, 1, 2, 3, 4]) == close(expected)


def test_label_metrics_on_large_string_inputs() -> None:
    rng = np.random.default_rng(5)
    names = np.array(["a", "b", "c"])
    y, p = names[rng.integers(0, 3, 50_000)], names[rng.integers(0, 3, 50_000)]
    assert get_metric("accuracy")(y, p) == close(skm.accuracy_score(y, p))
    assert get_metric("macro_f1")(y, p) == close(skm.f1_score(y, p, average="macro"))
    assert get_metric("balanced_accuracy")(y, p) == close(skm.balanced_accuracy_score(y, p))


def test_labels_compare_across_number_and_text_columns() -> None:
    assert get_metric("accuracy")(np.array([1, 0, 1]), np.array(["1", "0", "0"])) == close(2 / 3)
    assert get_metric("accuracy")(np.array([1, 0]), np.array([1, 0]), labels=["0", "1"]) == 1.0


# --- scikit-learn oracles: multilabel, regression, clustering -------------------------------


@ORACLE
@given(st.integers(1, 20), st.integers(1, 6), st.data())
def test_hamming_loss_matches_sklearn(n: int, k: int, data: st.DataObject) -> None:
    cells = st.lists(st.integers(0, 1), min_size=n * k, max_size=n * k)
    y = np.array(data.draw(cells)).reshape(n, k)
    p = np.array(data.draw(cells)).reshape(n, k)
    assert get_metric("hamming_loss")(y, p) == close(skm.hamming_loss(y, p))
    if k >= 2:  # one column is a binary target to scikit-learn, not a label table
        assert get_metric("micro_f1")(y, p) == close(
            quiet(skm.f1_score, y, p, average="micro", zero_division=0)
        )


VALUES = st.one_of(st.sampled_from([0.0, 1.0, 2.5]), st.floats(0.0, 1e6, allow_subnormal=False))


@st.composite
def value_pairs(draw: st.DrawFn, min_size: int = 1) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_size, 40))
    y = np.array(draw(st.lists(VALUES, min_size=n, max_size=n)))
    p = np.array(draw(st.lists(VALUES, min_size=n, max_size=n)))
    return y, p


@ORACLE
@given(value_pairs())
def test_regression_metrics_match_sklearn(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    assert get_metric("rmse")(y, p) == close(skm.root_mean_squared_error(y, p))
    assert get_metric("mae")(y, p) == close(skm.mean_absolute_error(y, p))
    assert get_metric("rmsle")(y, p) == close(skm.root_mean_squared_log_error(y, p))
    assert get_metric("mase")(y, p, scale=2.5) == close(skm.mean_absolute_error(y, p) / 2.5)
    if (y != 0).all():
        assert get_metric("mape")(y, p) == close(skm.mean_absolute_percentage_error(y, p))
    if (p > 0).all():
        assert get_metric("poisson_deviance")(y, p) == close(skm.mean_poisson_deviance(y, p))
    if y.size > 1 and np.sum((y - y.mean()) ** 2) > 0:
        assert get_metric("r2")(y, p) == close(skm.r2_score(y, p))
    elif y.size > 1:  # scikit-learn's force_finite answers 0.0 or 1.0 here; we refuse
        with pytest.raises(InvalidMetricInput, match="zero variance"):
            get_metric("r2")(y, p)


def test_regression_metrics_on_large_inputs_match_sklearn() -> None:
    rng = np.random.default_rng(9)
    y = rng.gamma(2.0, 3.0, 400_000) + 0.1
    p = y * rng.lognormal(0, 0.3, y.size)
    for name, fn in [
        ("rmse", skm.root_mean_squared_error),
        ("mae", skm.mean_absolute_error),
        ("rmsle", skm.root_mean_squared_log_error),
        ("r2", skm.r2_score),
        ("mape", skm.mean_absolute_percentage_error),
        ("poisson_deviance", skm.mean_poisson_deviance),
    ]:
        assert get_metric(name)(y, p) == close(fn(y, p)), name


@ORACLE
@given(label_pairs(k=5))
def test_adjusted_rand_matches_sklearn(case: tuple[np.ndarray, np.ndarray]) -> None:
    y, p = case
    assert get_metric("adjusted_rand")(y, p) == close(skm.adjusted_rand_score(y, p))


def test_adjusted_rand_on_many_clusters_matches_sklearn() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 5000, 100_000)
    p = np.where(rng.random(y.size) < 0.8, y, rng.integers(0, 5000, y.size)).astype(str)
    assert get_metric("adjusted_rand")(y, p) == close(skm.adjusted_rand_score(y, p))


# --- single rows and other edges --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "y_true", "y_pred", "params", "expected"),
    [
        ("accuracy", [3], [3], {}, 1.0),
        ("balanced_accuracy", ["a"], ["b"], {}, 0.0),
        ("f1", [1], [1], {}, 1.0),
        ("f1", [0], [0], {}, 0.0),  # nothing to count: scikit-learn's zero_division=0
        ("macro_f1", ["a"], ["a"], {}, 1.0),
        ("log_loss", ["yes"], [0.9], {"labels": ["no", "yes"]}, -np.log(0.9)),
        ("brier", [0], [0.25], {}, 0.0625),
        ("rmse", [2.0], [5.0], {}, 3.0),
        ("mae", [2.0], [5.0], {}, 3.0),
        ("hamming_loss", [[1, 0]], [[1, 1]], {}, 0.5),
        ("adjusted_rand", [1], [2], {}, 1.0),
        ("ndcg_at_k", [2], [0.1], {"groups": ["q"]}, 1.0),
        ("map_at_k", [1], [0.1], {"groups": ["q"]}, 1.0),
    ],
)
def test_single_row(
    name: str, y_true: Any, y_pred: Any, params: dict[str, Any], expected: float
) -> None:
    assert get_metric(name)(y_true, y_pred, **params) == close(expected)


# --- errors: named metric, clear reason ---------------------------------------------------------

ERRORS = [
    ("roc_auc", [1, 1, 1], [0.1, 0.2, 0.3], {}, "no negative row"),
    ("roc_auc", [0, 0], [0.1, 0.2], {}, "no positive row"),
    ("pr_auc", [0, 0], [0.1, 0.2], {}, "no positive row"),
    ("roc_auc", ["a", "b", "c"], [0.1, 0.2, 0.3], {}, "binary but the true values hold 3 classes"),
    (
        "roc_auc",
        [0, 1, 0, 1],
        [[0.5, 0.5]] * 4,
        {"labels": [0, 1, 2]},
        "2 columns but 'labels' names 3",
    ),
    ("roc_auc", [0, 1, 0, 1], [[0.4, 0.3, 0.3]] * 4, {"labels": [0, 1, 2]}, "undefined for class"),
    ("roc_auc", [0, 1, 2], [[0.5, 0.6, 0.3]] * 3, {}, "must sum to 1"),
    ("roc_auc", [0, 1, 5], [[0.2, 0.3, 0.5]] * 3, {"labels": [0, 1, 2]}, "not in labels"),
    ("roc_auc", [0, 1, 2], [[0.2, 0.3, 0.5]] * 3, {"pos_label": 1}, "binary predictions only"),
    ("log_loss", [0, 1], [0.5, 1.2], {}, "must lie in [0, 1]"),
    ("log_loss", [0, 1], [-0.1, 0.5], {}, "must lie in [0, 1]"),
    ("log_loss", [0, 1, 2], [[0.5, 0.5]] * 3, {}, "give param 'labels'"),
    ("log_loss", ["b", "b"], [0.9, 0.8], {}, "ambiguous"),
    ("log_loss", ["a", "b"], [0.9, 0.8], {"labels": ["a", "b", "c"]}, "exactly 2 labels"),
    ("log_loss", ["a", "x"], [0.9, 0.8], {"labels": ["a", "b"]}, "not in labels"),
    ("brier", [0, 1], [[0.5, 0.5]] * 2, {}, "is binary"),
    ("brier", ["a", "b"], [0.1, 0.2], {"pos_label": "c"}, "pos_label 'c' is not one of"),
    ("f1", [0, 1, 2], [0, 1, 1], {}, "binary but the true values hold 3 classes"),
    ("accuracy", [0, 1], [0, 3], {"labels": [0, 1]}, "predictions hold label(s) not in labels"),
    ("accuracy", [0, 1], [0, 1], {"labels": [0, 0, 1]}, "repeats a label"),
    ("quadratic_weighted_kappa", [1, 2], [1.5, 2], {}, "integer ratings"),
    ("quadratic_weighted_kappa", [3, 3], [3, 3], {}, "single rating"),
    ("rmsle", [1.0, -1.0], [1.0, 1.0], {}, "must not be negative"),
    ("rmsle", [1.0, 1.0], [1.0, -0.5], {}, "must not be negative"),
    ("poisson_deviance", [-1.0, 1.0], [1.0, 1.0], {}, "must not be negative"),
    ("poisson_deviance", [1.0, 1.0], [0.0, 1.0], {}, "strictly positive"),
    ("mape", [0.0, 1.0], [1.0, 1.0], {}, "a true value is 0"),
    ("r2", [1.0, 1.0], [1.0, 2.0], {}, "zero variance"),
    ("r2", [1.0], [1.0], {}, "at least two rows"),
    ("mase", [1.0], [1.0], {}, "needs the param 'scale'"),
    ("mase", [1.0], [1.0], {"scale": 0}, "positive finite"),
    ("mase", [1.0], [1.0], {"scale": "x"}, "must be a number"),
    ("rmse", [1.0, np.nan], [1.0, 1.0], {}, "NaN or infinite"),
    ("rmse", [1.0, 2.0], ["a", "b"], {}, "must be numbers"),
    ("rmse", [1.0, 2.0], [[1.0, 2.0], [1.0, 2.0]], {}, "must be one column"),
    ("hamming_loss", [[0, 1]], [[0, 2]], {}, "only 0 and 1"),
    ("hamming_loss", [[0, 1]], [[0, 1, 1]], {}, "shape"),
    ("ndcg_at_k", [1, 0], [0.5, 0.2], {}, "needs the param 'groups'"),
    ("ndcg_at_k", [0, 0], [0.5, 0.2], {"groups": [1, 1]}, "no query has a relevant item"),
    ("ndcg_at_k", [1, -1], [0.5, 0.2], {"groups": [1, 1]}, "must not be negative"),
    ("ndcg_at_k", [1, 0], [0.5, 0.2], {"groups": [1]}, "has 1 entries for 2 rows"),
    ("ndcg_at_k", [1, 0], [0.5, 0.2], {"groups": [1, 1], "k": 0}, "positive integer"),
    ("map_at_k", [2, 0], [0.5, 0.2], {"groups": [1, 1]}, "must be 0"),
    ("concordance_index", [[1, 1], [2, 1]], [0.5, 0.2, 0.1], {}, "3 predictions"),
    ("concordance_index", [[1, 0], [2, 0]], [0.5, 0.2], {}, "no comparable pair"),
    ("concordance_index", [[1, 2], [2, 0]], [0.5, 0.2], {}, "only 0 (censored) and 1"),
    ("concordance_index", [1, 2], [0.5, 0.2], {}, "shape (rows, columns)"),
    ("adjusted_rand", [1, 2], [1, 2], {"labels": [1, 2]}, "takes no parameter"),
]


@pytest.mark.parametrize(
    ("name", "y_true", "y_pred", "params", "reason"), ERRORS, ids=[f"{e[0]}-{e[4]}" for e in ERRORS]
)
def test_invalid_input_names_the_metric_and_the_reason(
    name: str, y_true: Any, y_pred: Any, params: dict[str, Any], reason: str
) -> None:
    m = get_metric(name)
    with pytest.raises(InvalidMetricInput) as info:
        m(y_true, y_pred, **params)
    assert repr(m.name) in info.value.message
    assert reason in info.value.message


# Unknown params are the registry's own check, made before the validator runs.
HOOK_ERRORS = [e for e in ERRORS if "takes no parameter" not in e[4]]


@pytest.mark.parametrize(
    ("name", "y_true", "y_pred", "params", "reason"),
    HOOK_ERRORS,
    ids=[f"{e[0]}-{e[4]}" for e in HOOK_ERRORS],
)
def test_validate_hook_alone_rejects_the_same_input(
    name: str, y_true: Any, y_pred: Any, params: dict[str, Any], reason: str
) -> None:
    """A scorer may validate a submission before scoring it; nothing slips past."""
    m = get_metric(name)
    assert m.validate is not None
    with pytest.raises(InvalidMetricInput):
        m.validate(np.asarray(y_true), np.asarray(y_pred), params)


# --- labels of mixed kinds: what a CSV reader may hand over -----------------------------------


@pytest.mark.parametrize(
    ("y_true", "params"),
    [
        (np.array(["0", "1", "1", "0"], dtype=object), {}),
        (np.array(["0", "1", "1", "0"], dtype=object), {"labels": [0, 1]}),
        (np.array([0, 1, 1, 0], dtype=object), {}),
        (np.array([0, 1, 1, 0]), {"labels": ["0", "1"]}),
        (np.array([0, 1, 1, 0]), {"pos_label": "1"}),
        (np.array([False, True, True, False]), {}),
        (np.array(["n", "y", "y", "n"], dtype=object), {"pos_label": "y"}),
    ],
)
def test_binary_labels_of_any_kind_find_the_same_positive_class(
    y_true: np.ndarray, params: dict[str, Any]
) -> None:
    p = np.array([0.2, 0.9, 0.4, 0.3])
    assert get_metric("roc_auc")(y_true, p, **params) == 1.0
    assert get_metric("log_loss")(y_true, p, **params) == close(skm.log_loss([0, 1, 1, 0], p))


def test_labels_given_as_text_for_numeric_answers_are_an_error() -> None:
    with pytest.raises(InvalidMetricInput, match="holds text"):
        get_metric("log_loss")([0, 1], [0.2, 0.7], labels=["no", "yes"])


def test_object_columns_of_text_labels_work_for_label_metrics() -> None:
    y = np.array(["a", "b", "c", "a"], dtype=object)
    p = np.array(["a", "c", "c", "b"], dtype=object)
    assert get_metric("macro_f1")(y, p) == close(skm.f1_score(y, p, average="macro"))
    assert get_metric("accuracy")(y, p, labels=("a", "b", "c")) == 0.5
