"""The helpers of three project families: anomaly detection (few labels), time-series
classification (whole sequences) and implicit-feedback recommendation (MAP@k)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from trackrecord.bundle import USAGE
from trackrecord.catalog import splits
from trackrecord.catalog.anomaly import anomaly_field, few_labels, unit_scores
from trackrecord.catalog.splits import ID, with_ids

# --- anomaly detection ----------------------------------------------------------------------


def _planted(n: int = 2000, anomalies: int = 120, seed: int = 0) -> pd.DataFrame:
    """Two Gaussian blobs of normal rows and scattered anomalies far from both."""
    rng = np.random.default_rng(seed)
    centres = rng.choice([-3.0, 3.0], size=(n, 1))
    normal = centres + rng.normal(size=(n, 3))
    odd = rng.uniform(-9, 9, size=(anomalies, 3))
    odd[:, 0] = np.where(np.abs(odd[:, 0]) < 6, 8.0, odd[:, 0])  # off both blobs
    df = pd.DataFrame(np.vstack([normal, odd]), columns=["a", "b", "c"])
    df["kind"] = ["first" if i % 2 else "second" for i in range(len(df))]
    df["odd"] = ["no"] * n + ["yes"] * anomalies
    return with_ids(df)


def _few(df: pd.DataFrame, **kw: object) -> object:
    args: dict[str, object] = {
        "metric": "roc_auc",
        "target": "odd",
        "positive": "yes",
        "train_positives": 8,
        "test_normals": 600,
        "test_positives": 80,
        "seed": 3,
    }
    return few_labels(df, **{**args, **kw})  # type: ignore[arg-type]


def test_few_labels_keeps_labels_scarce_in_train_and_rare_in_test() -> None:
    data = _few(_planted())
    train, answers = data.train, data.answers  # type: ignore[attr-defined]
    assert (train["odd"] == "yes").sum() == 8
    assert (answers["odd"] == "yes").sum() == 80 and len(answers) == 680
    assert "odd" not in data.test.columns  # type: ignore[attr-defined]
    assert not set(train[ID]) & set(answers[ID])
    assert data.spec.labels == ("no", "yes") and data.spec.positive == "yes"  # type: ignore[attr-defined]
    private = answers[answers[USAGE] == "Private"]
    assert (private["odd"] == "yes").sum() == 56  # stratified: 70% of the positives


def test_few_labels_keeps_novel_kinds_out_of_train_and_is_seeded() -> None:
    df = _planted()
    novel = (df["odd"] == "yes") & (df["a"] > 0)
    data = _few(df, novel=novel)
    in_train = set(data.train.loc[data.train["odd"] == "yes", ID])  # type: ignore[attr-defined]
    assert not in_train & set(df.loc[novel, ID])
    again = _few(df, novel=novel)
    pd.testing.assert_frame_equal(data.answers, again.answers)  # type: ignore[attr-defined]
    with splits.rekeyed(b"host secret"):
        other = _few(df, novel=novel)
    assert set(other.answers[ID]) != set(data.answers[ID])  # type: ignore[attr-defined]


def test_few_labels_refuses_a_positive_that_does_not_sort_last() -> None:
    df = _planted()
    df["odd"] = df["odd"].map({"no": "zzz", "yes": "yes"})
    with pytest.raises(ValueError, match="sort last"):
        _few(df)


def test_unit_scores_keep_the_order_inside_the_unit_interval() -> None:
    raw = np.array([-5.0, 3.2, 100.0, 3.2, 0.0])
    out = unit_scores(raw)
    assert ((out > 0) & (out <= 1)).all()
    assert (np.argsort(out, kind="stable") == np.argsort(raw, kind="stable")).all()


def test_the_anomaly_field_finds_planted_anomalies() -> None:
    data = _few(_planted())
    truth = (data.answers["odd"] == "yes").to_numpy()  # type: ignore[attr-defined]
    found = {}
    for contender in anomaly_field():
        sub = contender.predict(data.train, data.test, data.spec)  # type: ignore[attr-defined]
        scores = sub["odd"].to_numpy()
        assert ((scores >= 0) & (scores <= 1)).all(), contender.name
        found[contender.name] = roc_auc_score(truth, scores)
    assert len(found) >= 10
    # the anomalies lie far from both blobs: distance and density detectors see it
    assert found["k-nearest-neighbour distance (k=10)"] > 0.95
    assert found["local outlier factor (k=20)"] > 0.95
    # one centre for a two-blob normal: the Mahalanobis distance does worse than kNN
    assert found["robust Mahalanobis distance (MCD)"] < found["k-nearest-neighbour distance (k=10)"]


def test_few_labels_gives_train_only_columns_to_train_alone() -> None:
    df = _planted()
    data = _few(df, train_only=["kind"])
    assert "kind" in data.train.columns  # type: ignore[attr-defined]
    assert "kind" not in data.test.columns  # type: ignore[attr-defined]


# --- implicit feedback ----------------------------------------------------------------------


def _log(users: int = 60, seed: int = 1) -> pd.DataFrame:
    """Two tastes: even users watch items 0-19, odd users items 20-39, in random order."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(users):
        base = 0 if u % 2 == 0 else 20
        for t, item in enumerate(rng.permutation(np.arange(base, base + 20))):
            rows.append({"user": u, "item": int(item), "time": 1000 * u + t, "kind": base})
    return with_ids(pd.DataFrame(rows))


def test_later_candidates_hold_out_what_users_did_next() -> None:
    from trackrecord.catalog.evaluate import check_split
    from trackrecord.catalog.implicit import Log, later_candidates

    cols = Log("user", "item", "time", ("kind",))
    log = _log()
    data = later_candidates(log, cols, share=0.5, pool=40, seed=4, min_events=10)
    train, test, answers = data.train, data.test, data.answers
    assert "relevant" not in train.columns and "relevant" not in test.columns
    assert answers["user"].nunique() == 30
    seen = set(zip(train["user"], train["item"], strict=True))
    assert not seen & set(zip(test["user"], test["item"], strict=True))  # no watched candidate
    key = answers.merge(test, on=["id", "user"])
    later = set(zip(log["user"], log["item"], strict=True)) - seen
    truth = {(u, i) for u, i, r in zip(key["user"], key["item"], key["relevant"], strict=True) if r}
    assert truth == {(u, i) for u, i in later if u in set(answers["user"])}
    assert not set(train["id"]) & set(test["id"])
    project = data.project(
        brief=None,  # type: ignore[arg-type]
        baseline=None,  # type: ignore[arg-type]
        reference=None,  # type: ignore[arg-type]
        field=(),
    )
    check_split(project)  # train rows of a test user all come before their candidates


def test_the_implicit_field_personalizes() -> None:
    from trackrecord.catalog.implicit import Log, implicit_field, later_candidates
    from trackrecord.metrics import get_metric

    cols = Log("user", "item", "time", ("kind",))
    data = later_candidates(_log(), cols, share=0.5, pool=40, seed=4, min_events=10)
    y, groups = data.answers["relevant"].to_numpy(), data.answers["user"].to_numpy()
    metric = get_metric("map_at_k")
    found = {}
    for contender in implicit_field(cols):
        sub = contender.predict(data.train, data.test, data.spec)
        found[contender.name] = metric(y, sub["score"].to_numpy(), groups=groups, k=5)
    # two clean tastes: neighbours of either kind find the user's half, popularity cannot
    assert found["item-item cosine k-NN (all neighbours)"] > 0.9
    assert found["user-user cosine k-NN (50 neighbours)"] > 0.9
    assert found["popularity (interactions per item)"] < 0.7


def _terms(users: int = 120, seed: int = 2) -> pd.DataFrame:
    """A curriculum of 27 courses, three a term, in one of two programmes (courses 0-26 or
    30-56); users started 0 to 3 terms before term 1 (`stage`), so their term-6 courses
    are ones that users who started earlier took before term 6. A few courses skipped."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(users):
        base, stage = (0 if u % 2 == 0 else 30), u % 4
        for course in range(27):
            term = course // 3 + 1 - stage
            if 1 <= term <= 6 and rng.random() < 0.9:
                rows.append({"user": u, "item": base + course, "term": term, "stage": stage})
    return with_ids(pd.DataFrame(rows))


def test_time_cut_candidates_keep_the_future_out_of_train() -> None:
    from trackrecord.catalog.evaluate import check_split
    from trackrecord.catalog.implicit import Log, time_cut_candidates

    cols = Log("user", "item", "term", user_columns=("stage",))
    log = _terms()
    data = time_cut_candidates(log, cols, cut=6, share=0.5, pool=60, seed=3, min_history=3)
    train, test, answers = data.train, data.test, data.answers
    assert train["term"].max() == 5 and (test["term"] == 6).all()
    assert len(train) == (log["term"] < 6).sum()  # the other users' term 6 is dropped, not kept
    assert list(test.columns) == ["id", "user", "stage", "item", "term"]
    stage = dict(zip(log["user"], log["stage"], strict=False))
    assert all(stage[u] == s for u, s in zip(test["user"], test["stage"], strict=True))
    assert answers["user"].nunique() == 60
    key = answers.merge(test, on=["id", "user"])
    truth = {(u, i) for u, i, r in zip(key["user"], key["item"], key["relevant"], strict=True) if r}
    future = log[(log["term"] == 6) & log["user"].isin(set(answers["user"]))]
    candidates = set(log.loc[log["term"] < 6, "item"])  # the pool: every item of train
    assert truth == {
        (u, i) for u, i in zip(future["user"], future["item"], strict=True) if i in candidates
    }
    assert truth
    project = data.project(
        brief=None,  # type: ignore[arg-type]
        baseline=None,  # type: ignore[arg-type]
        reference=None,  # type: ignore[arg-type]
        field=(),
    )
    check_split(project)  # a time split: all of train before test


def test_transitions_follow_the_curriculum() -> None:
    from trackrecord.catalog.implicit import Log, implicit_field, time_cut_candidates, transitions
    from trackrecord.metrics import get_metric

    cols = Log("user", "item", "term")
    data = time_cut_candidates(_terms(), cols, cut=6, share=0.5, pool=60, seed=3, min_history=3)
    y, groups = data.answers["relevant"].to_numpy(), data.answers["user"].to_numpy()
    metric = get_metric("map_at_k")

    def found(fn: object) -> float:
        scores = fn(data.train, data.test, data.spec)  # type: ignore[operator]
        return float(metric(y, np.asarray(scores), groups=groups, k=3))

    # the courses of term 6 are exactly those that followed term 5's: order finds them
    assert found(transitions("user", "item", "term", gaps=(1,))) > 0.95
    # similarity without order finds the user's programme, not where they are in it
    item_knn = next(c for c in implicit_field(cols) if c.name.startswith("item-item"))
    assert found(lambda tr, te, sp: item_knn.predict(tr, te, sp)["score"]) < 0.6
