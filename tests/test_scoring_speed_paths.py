"""The id-matching paths of the scorer: an answer key and a submission in any row order score
exactly like the sorted pair, whichever way the ids are looked up (a gather for a shuffled
range of integers, a sorted merge for other integers, a hash lookup for text), and every id
that does not fit is still named by its line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from trackrecord.bundle import Bundle, Challenge, write_bundle
from trackrecord.errors import InvalidSubmission
from trackrecord.scoring import score, score_frame
from trackrecord.scoring import solution as solution_module
from trackrecord.scoring.ids import build_id_order, lookup

N = 300
# How each kind of id is written: a shuffled range (the catalog's 1..n), integers with gaps,
# negative integers, and text ids.
ID_KINDS = {
    "range": lambda k: k + 1,
    "gaps": lambda k: k * 7 + 1_000_003,
    "negative": lambda k: k * 3 - 500,
    "text": lambda k: np.array([f"row-{i:05d}" for i in k], dtype=object),
}


def make_bundle(
    dest: Path, kind: str, *, shuffled: bool, metric: str = "roc_auc", n: int = N
) -> Bundle:
    """The same rows for every kind and order: only the ids and the answer key's order vary."""
    rng = np.random.default_rng(11)
    k = np.arange(n)
    ids = ID_KINDS[kind](k)
    x = rng.normal(size=n)
    usage = np.where(rng.random(n) < 0.4, "Public", "Private")
    if metric == "rmse":
        y: np.ndarray = np.round(rng.gamma(2.0, 10.0, n), 3)
        labels, task, truth = None, "regression", "y"
    else:
        y = np.where(x + rng.normal(size=n) > 0, "yes", "no")
        y[:4], usage[:4] = ["yes", "no", "yes", "no"], ["Public", "Public", "Private", "Private"]
        labels, task, truth = ("no", "yes"), "binary-classification", "y"
    rows = rng.permutation(n) if shuffled else k
    solution = pd.DataFrame({"id": ids[rows], truth: y[rows], "Usage": usage[rows]})
    test = pd.DataFrame({"id": ids[rows], "x": x[rows]})
    ch = Challenge(
        id=f"ids-{kind}",
        title="Ids",
        task=task,
        metric=metric,
        id_column="id",
        target_columns=(truth,),
        solution_columns=(truth,),
        labels=labels,
    )
    return write_bundle(
        dest,
        ch,
        description="# Ids\n",
        train=test.assign(**{truth: y[rows]}),
        test=test,
        solution=solution,
        sample_submission=pd.DataFrame({"id": ids[rows], truth: 0.5}),
    )


def predictions(kind: str, order: np.ndarray) -> pd.DataFrame:
    """One prediction per row, fixed by the row (not by where it is written)."""
    k = np.arange(len(order))
    values = np.round(np.random.default_rng(5).random(len(order)), 6)
    return pd.DataFrame({"id": ID_KINDS[kind](k)[order], "y": values[order]})


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def problems_of(exc: pytest.ExceptionInfo[InvalidSubmission]) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


@pytest.fixture(autouse=True)
def fresh_memo() -> None:
    solution_module._MEMORY.clear()


@pytest.mark.parametrize("metric", ["roc_auc", "rmse"])
@pytest.mark.parametrize("kind", list(ID_KINDS))
def test_shuffled_key_and_submission_score_exactly_like_the_sorted_pair(
    tmp_path: Path, kind: str, metric: str
) -> None:
    sorted_bundle = make_bundle(tmp_path / "sorted", kind, shuffled=False, metric=metric)
    shuffled_bundle = make_bundle(tmp_path / "shuffled", kind, shuffled=True, metric=metric)
    sorted_sub = write(predictions(kind, np.arange(N)), tmp_path / "sorted.csv")
    order = np.random.default_rng(99).permutation(N)
    shuffled_sub = write(predictions(kind, order), tmp_path / "shuffled.csv")
    expected = score(sorted_bundle, sorted_sub)
    cache = tmp_path / "cache"
    for bundle in (sorted_bundle, shuffled_bundle):
        for sub in (sorted_sub, shuffled_sub):
            for _ in ("cold: parses the key", "warm: memory-maps the cached key"):
                solution_module._MEMORY.clear()
                got = score(bundle, sub, cache_dir=cache)
                assert (got.public, got.private) == (expected.public, expected.private)
                assert (got.public_rows, got.private_rows, got.rows) == (
                    expected.public_rows,
                    expected.private_rows,
                    N,
                )


@pytest.mark.parametrize("kind", list(ID_KINDS))
def test_bad_ids_are_named_by_line_against_a_shuffled_key(tmp_path: Path, kind: str) -> None:
    bundle = make_bundle(tmp_path / "b", kind, shuffled=True)
    order = np.random.default_rng(3).permutation(N)
    sub = predictions(kind, order).astype({"id": object})
    dropped = sub.loc[7, "id"]
    sub.loc[7, "id"] = sub.loc[2, "id"]  # line 9 repeats line 4; the id of row 7 is missing
    below, above = ("aaa", "zzz") if kind == "text" else (-(10**6), 10**12)
    sub.loc[20, "id"], sub.loc[30, "id"] = below, above  # unknown: outside the key's range
    with pytest.raises(InvalidSubmission) as exc:
        score(bundle, write(sub, tmp_path / "s.csv"))
    text = problems_of(exc)
    assert "line 9, column 'id': this id appeared on an earlier row" in text
    assert "line 22, column 'id': id is not in the test set" in text
    assert "line 32, column 'id': id is not in the test set" in text
    assert "test id(s) have no prediction" in text and str(dropped) in text
    if kind in ("gaps", "negative"):  # an id inside the key's range that is not in it
        sub = predictions(kind, order).astype({"id": object})
        sub.loc[40, "id"] = int(ID_KINDS[kind](np.array([0]))[0]) + 1
        with pytest.raises(InvalidSubmission) as exc:
            score(bundle, write(sub, tmp_path / "g.csv"))
        assert "line 42, column 'id': id is not in the test set" in problems_of(exc)


def test_empty_ids_and_extra_rows_against_a_shuffled_key(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path / "b", "range", shuffled=True)
    sub = predictions("range", np.random.default_rng(4).permutation(N))
    lines = sub.to_csv(index=False).splitlines()
    lines.insert(5, ",0.5")  # line 6: an empty id
    lines.append(lines[1])  # the last line repeats line 2
    path = tmp_path / "e.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InvalidSubmission) as exc:
        score(bundle, path)
    text = problems_of(exc)
    assert "line 6, column 'id': the id is empty" in text
    assert f"line {N + 3}, column 'id': this id appeared on an earlier row" in text
    assert "have no prediction" not in text


def test_frames_and_parquet_in_any_order_score_like_the_sorted_file(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path / "b", "gaps", shuffled=True)
    expected = score(bundle, write(predictions("gaps", np.arange(N)), tmp_path / "s.csv"))
    shuffled = predictions("gaps", np.random.default_rng(8).permutation(N))
    shuffled.to_parquet(tmp_path / "s.parquet", index=False)
    for got in (score_frame(bundle, shuffled), score(bundle, tmp_path / "s.parquet")):
        assert (got.public, got.private) == (expected.public, expected.private)
    # Integer ids held as text by the frame only: compared as text, still matched.
    got = score_frame(bundle, shuffled.astype({"id": str}))
    assert (got.public, got.private) == (expected.public, expected.private)
    quoted = shuffled.assign(id="#" + shuffled["id"].astype(str))
    with pytest.raises(InvalidSubmission, match=f"{N} test id"):
        score_frame(bundle, quoted)


def test_the_cached_key_keeps_its_id_order(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path / "b", "range", shuffled=True)
    sub = write(predictions("range", np.random.default_rng(1).permutation(N)), tmp_path / "s.csv")
    cache = tmp_path / "cache"
    score(bundle, sub, cache_dir=cache)
    cold = solution_module.load_solution(bundle.solution_path, bundle.challenge, cache)
    solution_module._MEMORY.clear()
    warm = solution_module.load_solution(bundle.solution_path, bundle.challenge, cache)
    assert cold is not warm and cold.id_order is not None and warm.id_order is not None
    assert warm.id_order.order is not None and cold.id_order.order is not None
    assert np.array_equal(warm.id_order.order, cold.id_order.order)
    ids = warm.id_order.ids
    assert np.all(np.diff(ids[warm.id_order.order]) == 1)  # 1..n in the key's shuffled order
    (file,) = (cache / "solutions").glob("*.arrow")
    assert file.stat().st_size > 0


def test_id_order_only_for_unique_integers() -> None:
    assert build_id_order(pa.array(["a", "b"])) is None
    assert build_id_order(pa.array([3, 1, 3])) is None  # duplicates: hashed instead
    assert build_id_order(pa.array([1, None, 2])) is None
    in_order = build_id_order(pa.array([1, 5, 9]))
    assert in_order is not None and in_order.order is None and not in_order.dense
    shuffled = build_id_order(pa.array([12, 10, 11]))
    assert shuffled is not None and shuffled.dense and shuffled.low == 10
    key = pa.array([12, 10, 11])
    queries = pa.chunked_array([[11, None, 9], [], [13, 12], [10, 11]])
    assert lookup(queries, key, shuffled).tolist() == [2, -1, -1, -1, 0, 1, 2]
    sparse_key = pa.array([40, -7, 1000])
    sparse = build_id_order(sparse_key)
    assert sparse is not None and not sparse.dense
    found = lookup(pa.chunked_array([[1000, 40], [41, None, -7]]), sparse_key, sparse)
    assert found.tolist() == [2, 0, -1, -1, 1]
    text = pa.chunked_array([["b", None], ["c"]])
    assert lookup(text, pa.array(["c", "b"]), None).tolist() == [1, -1, 0]


def test_files_read_in_many_chunks(tmp_path: Path) -> None:
    """A file of a few MB reaches the scorer in several chunks (one per block the CSV reader
    parsed): lookups, checks and alignment go chunk by chunk, and lines stay exact."""
    n = 200_000
    sorted_bundle = make_bundle(tmp_path / "s", "range", shuffled=False, n=n)
    shuffled_bundle = make_bundle(tmp_path / "h", "range", shuffled=True, n=n)
    order = np.random.default_rng(6).permutation(n)
    sub = predictions("range", order)
    path = write(sub, tmp_path / "sub.csv")
    assert path.stat().st_size > 2 * 2**20  # several of the reader's 1 MiB blocks
    expected = score(sorted_bundle, write(predictions("range", np.arange(n)), tmp_path / "o.csv"))
    got = score(shuffled_bundle, path)
    assert (got.public, got.private) == (expected.public, expected.private)
    bad = sub.copy()
    bad.loc[n - 10, "id"] = bad.loc[n - 20, "id"]
    bad.loc[n - 5, "y"] = 1.5
    with pytest.raises(InvalidSubmission) as exc:
        score(shuffled_bundle, write(bad, tmp_path / "bad.csv"))
    text = problems_of(exc)
    assert f"line {n - 8}, column 'id': this id appeared on an earlier row" in text
    assert f"line {n - 3}, column 'y': probability 1.5 is outside [0, 1]" in text


def test_a_warm_shuffled_run_imports_no_pandas_or_compute(tmp_path: Path) -> None:
    """The unsorted join used to import pyarrow.compute and, through `fill_null`, pandas:
    0.2 s of a 3M-row score. Integer ids in any order now need neither."""
    bundle = make_bundle(tmp_path / "b", "range", shuffled=True)
    sub = write(predictions("range", np.random.default_rng(2).permutation(N)), tmp_path / "s.csv")
    heavy = ("pandas", "sklearn", "scipy", "pyarrow.compute", "pyarrow.parquet")
    code = (
        "import sys; from trackrecord.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    env_home = {"TRACKRECORD_HOME": str(tmp_path / "home")}
    args = ["score", str(bundle.root), str(sub), "--json"]
    seen = []
    for _ in ("cold", "warm"):
        out = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **env_home},
        ).stdout
        assert json.loads(out[: out.rindex("}") + 1])["rows"] == N
        seen.append(out[out.rindex("}") + 1 :].strip())
    assert "pandas" not in seen[0], seen[0]
    assert seen[1] == "[]", seen[1]


def test_a_shuffled_range_gets_the_same_order_as_a_sort() -> None:
    rng = np.random.default_rng(0)
    for ids in (rng.permutation(1000) + 17, rng.permutation(1000) * 3 - 40):
        index = build_id_order(pa.array(ids))
        assert index is not None and index.order is not None
        assert index.order.tolist() == np.argsort(ids).tolist()
    with_repeat = rng.permutation(1000)
    with_repeat[5] = with_repeat[6]  # one id twice, another missing: hashed instead
    assert build_id_order(pa.array(with_repeat)) is None


def test_score_leaves_the_final_collection_out(tmp_path: Path) -> None:
    """Python collecting every object at exit took 0.1-0.2 s of a 0.6 s `trackrecord score`;
    the command freezes what is left when the process ends, and still prints its answer."""
    bundle = make_bundle(tmp_path / "b", "range", shuffled=True)
    sub = write(predictions("range", np.arange(N)), tmp_path / "s.csv")
    code = (
        "import atexit, gc, sys; from trackrecord.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "before = gc.get_freeze_count(); atexit._run_exitfuncs()\n"
        "print(before, gc.get_freeze_count() > 0)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "score", str(bundle.root), str(sub), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TRACKRECORD_HOME": str(tmp_path / "home")},
    ).stdout
    assert json.loads(out[: out.rindex("}") + 1])["rows"] == N
    assert out[out.rindex("}") + 1 :].split() == ["0", "True"]
