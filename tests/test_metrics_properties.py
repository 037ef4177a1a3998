"""Metrics without a drop-in scikit-learn oracle, checked against slow reference code, and
invariances every metric of a kind should have."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata
from sklearn.metrics import ndcg_score

from trackrecord.errors import InvalidMetricInput
from trackrecord.metrics import get_metric
from trackrecord.metrics.survival import harrell_counts

PROPERTY = settings(max_examples=60, deadline=None)


def close(value: float) -> Any:
    return pytest.approx(value, rel=1e-9, abs=1e-12)


# --- concordance index ------------------------------------------------------------------------


def harrell_reference(time: np.ndarray, event: np.ndarray, risk: np.ndarray) -> tuple[float, int]:
    """O(n^2) Harrell's C, straight from the definition: (score, comparable pairs)."""
    score, comparable = 0.0, 0
    for i in range(time.size):
        if not event[i]:
            continue
        for j in range(time.size):
            outlives = time[j] > time[i] or (time[j] == time[i] and not event[j])
            if j == i or not outlives:
                continue
            comparable += 1
            score += 1.0 if risk[i] > risk[j] else 0.5 if risk[i] == risk[j] else 0.0
    return (score / comparable if comparable else float("nan")), comparable


@st.composite
def survival_data(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 30))
    times = st.one_of(st.integers(0, 5).map(float), st.floats(0, 100))
    time = np.array(draw(st.lists(times, min_size=n, max_size=n)))
    event = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    risks = st.one_of(st.sampled_from([0.0, 1.0, -2.5]), st.floats(-1e6, 1e6))
    risk = np.array(draw(st.lists(risks, min_size=n, max_size=n)))
    return time, event, risk


@PROPERTY
@given(survival_data())
def test_concordance_index_matches_the_quadratic_definition(
    data: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    time, event, risk = data
    expected, comparable = harrell_reference(time, event, risk)
    y_true = np.c_[time, event.astype(int)]
    if comparable == 0:
        with pytest.raises(InvalidMetricInput, match="no comparable pair"):
            get_metric("concordance_index")(y_true, risk)
        return
    assert get_metric("concordance_index")(y_true, risk) == close(expected)


def test_concordance_counts_on_a_larger_sample_match_a_vectorized_definition() -> None:
    rng = np.random.default_rng(4)
    n = 3000
    time = rng.integers(0, 300, n).astype(float)
    event = rng.random(n) < 0.6
    risk = np.round(rng.normal(size=n) - time / 100, 1)
    later = (time[None, :] > time[:, None]) | ((time[None, :] == time[:, None]) & ~event[None, :])
    pairs = later & event[:, None]
    concordant = int((pairs & (risk[:, None] > risk[None, :])).sum())
    tied = int((pairs & (risk[:, None] == risk[None, :])).sum())
    assert harrell_counts(time, event, risk) == (concordant, tied, int(pairs.sum()))


def test_concordance_index_ignores_the_scale_of_risk_and_flips_with_its_sign() -> None:
    rng = np.random.default_rng(8)
    y_true = np.c_[rng.exponential(size=200), rng.integers(0, 2, 200)]
    risk = rng.normal(size=200)
    c = get_metric("c_index")
    assert c(y_true, np.exp(risk)) == close(c(y_true, risk))
    assert c(y_true, -risk) == close(1.0 - c(y_true, risk))


# --- grouped ranking metrics -------------------------------------------------------------------


@st.composite
def ranking_data(draw: st.DrawFn, max_relevance: int = 3) -> dict[str, Any]:
    n = draw(st.integers(1, 40))
    rel = np.array(draw(st.lists(st.integers(0, max_relevance), min_size=n, max_size=n)))
    scores = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(-10, 10))
    score = np.array(draw(st.lists(scores, min_size=n, max_size=n)))
    groups = np.array(
        draw(st.lists(st.sampled_from(["q1", "q2", "q3", "q4"]), min_size=n, max_size=n))
    )
    k = draw(st.one_of(st.none(), st.integers(1, 6)))
    return {"rel": rel, "score": score, "groups": groups, "k": k}


def ndcg_reference(d: dict[str, Any]) -> float:
    """scikit-learn's ndcg_score per query; single-item queries score 1 when relevant."""
    values = []
    for q in np.unique(d["groups"]):
        rows = d["groups"] == q
        rel, score = d["rel"][rows], d["score"][rows]
        if rel.sum() == 0:
            continue
        values.append(1.0 if rel.size == 1 else ndcg_score([rel], [score], k=d["k"]))
    return float(np.mean(values))


@PROPERTY
@given(ranking_data())
def test_ndcg_at_k_is_sklearn_ndcg_score_averaged_over_queries(d: dict[str, Any]) -> None:
    assume(d["rel"].sum() > 0)
    got = get_metric("ndcg_at_k")(d["rel"], d["score"], groups=d["groups"], k=d["k"])
    assert got == close(ndcg_reference(d))


def average_precision_reference(rel: list[int], score: list[float], k: int | None) -> float:
    """AP@k with ties broken against the submission (irrelevant items first)."""
    ranked = [r for _, r in sorted(zip(score, rel, strict=True), key=lambda t: (-t[0], t[1]))]
    cutoff = len(ranked) if k is None else k
    hits, total = 0, 0.0
    for i, r in enumerate(ranked[:cutoff]):
        if r:
            hits += 1
            total += hits / (i + 1)
    return total / min(cutoff, sum(rel))


@PROPERTY
@given(ranking_data(max_relevance=1))
def test_map_at_k_matches_a_loop_over_queries(d: dict[str, Any]) -> None:
    assume(d["rel"].sum() > 0)
    expected = np.mean(
        [
            average_precision_reference(list(d["rel"][rows]), list(d["score"][rows]), d["k"])
            for q in np.unique(d["groups"])
            if (rows := d["groups"] == q).any() and d["rel"][rows].sum() > 0
        ]
    )
    got = get_metric("map_at_k")(d["rel"], d["score"], groups=d["groups"], k=d["k"])
    assert got == close(float(expected))


def test_ranking_metrics_do_not_depend_on_row_order() -> None:
    rng = np.random.default_rng(6)
    n = 5000
    rel = rng.integers(0, 2, n)
    score = np.round(rng.random(n), 1)  # many ties
    groups = rng.integers(0, 300, n)
    perm = rng.permutation(n)
    for name in ("ndcg_at_k", "map_at_k"):
        m = get_metric(name)
        assert m(rel[perm], score[perm], groups=groups[perm], k=5) == close(
            m(rel, score, groups=groups, k=5)
        )


def test_a_perfect_ranking_scores_one() -> None:
    rel = np.array([3, 0, 1, 2, 0, 1])
    groups = np.array([1, 1, 1, 2, 2, 2])
    assert get_metric("ndcg_at_k")(rel, rel + 0.5, groups=groups, k=2) == close(1.0)
    assert get_metric("map_at_k")(rel > 0, rel + 0.5, groups=groups) == close(1.0)


# --- invariances -------------------------------------------------------------------------------


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 1), st.floats(-50, 50)), min_size=2, max_size=40))
def test_roc_auc_depends_only_on_the_order_of_scores(rows: list[tuple[int, float]]) -> None:
    y = np.array([r[0] for r in rows])
    s = np.array([r[1] for r in rows])
    assume(0 < y.sum() < y.size)
    auc = get_metric("roc_auc")
    assert auc(y, rankdata(s)) == close(auc(y, s))
    assert auc(y, 4.0 * s) == close(auc(y, s))
    assert auc(y, -s) == close(1.0 - auc(y, s))


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=40))
def test_adjusted_rand_ignores_cluster_names_and_is_symmetric(rows: list[tuple[int, int]]) -> None:
    a = np.array([r[0] for r in rows])
    b = np.array([r[1] for r in rows])
    ari = get_metric("adjusted_rand")
    renamed = np.array(["c" + str(7 * v) for v in b])
    assert ari(a, renamed) == close(ari(a, b))
    assert ari(b, a) == close(ari(a, b))


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40))
def test_label_metrics_agree_on_text_and_integer_labels(rows: list[tuple[int, int]]) -> None:
    y = np.array([r[0] for r in rows])
    p = np.array([r[1] for r in rows])
    names = np.array(["ant", "bee", "cat", "dog"])
    for name in ("accuracy", "balanced_accuracy", "macro_f1"):
        m = get_metric(name)
        assert m(names[y], names[p]) == close(m(y, p)), name
