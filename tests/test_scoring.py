"""The scoring engine: exact scores against scikit-learn, and every rejection named."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, roc_auc_score

from tests.factories import (
    CLASSES,
    binary_bundle,
    labels_bundle,
    multiclass_bundle,
    regression_bundle,
)
from trackrecord.errors import InvalidSubmission, PayloadTooLarge
from trackrecord.scoring import score, score_frame


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory):
    return binary_bundle(tmp_path_factory.mktemp("b") / "binary")


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory):
    return multiclass_bundle(tmp_path_factory.mktemp("m") / "multi")


@pytest.fixture(scope="module")
def labels(tmp_path_factory: pytest.TempPathFactory):
    return labels_bundle(tmp_path_factory.mktemp("l") / "labels")


@pytest.fixture(scope="module")
def regression(tmp_path_factory: pytest.TempPathFactory):
    return regression_bundle(tmp_path_factory.mktemp("r") / "reg")


def solution(bundle) -> pd.DataFrame:
    return pd.read_csv(bundle.solution_path, keep_default_na=False)


def good_binary(bundle, seed: int = 0) -> pd.DataFrame:
    sol = solution(bundle)
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"id": sol["id"], "y": rng.random(len(sol))})


def expected_split(truth: pd.DataFrame, sub: pd.DataFrame, fn, target: str):
    merged = truth.merge(sub, on="id", suffixes=("_true", "_pred"))
    out = {}
    for split in ("Public", "Private"):
        part = merged[merged["Usage"] == split]
        out[split] = fn(part[f"{target}_true"], part[f"{target}_pred"])
    return out


def write(df: pd.DataFrame, path: Path, **kw) -> Path:
    df.to_csv(path, index=False, **kw)
    return path


def problems_text(exc: pytest.ExceptionInfo[InvalidSubmission]) -> str:
    return "\n".join(str(p) for p in exc.value.problems) + "\n" + exc.value.message


# ---- exact scores -------------------------------------------------------------------------


def test_binary_scores_match_sklearn_on_each_split(binary, tmp_path):
    sub = good_binary(binary)
    result = score(binary, write(sub, tmp_path / "s.csv"))
    expected = expected_split(solution(binary), sub, lambda t, p: roc_auc_score(t == "yes", p), "y")
    assert result.public == pytest.approx(expected["Public"], rel=1e-12)
    assert result.private == pytest.approx(expected["Private"], rel=1e-12)
    assert result.rows == len(sub)
    assert result.public_rows + result.private_rows == len(sub)


def test_rows_are_joined_by_id_not_order(binary, tmp_path):
    sub = good_binary(binary)
    a = score(binary, write(sub, tmp_path / "a.csv"))
    b = score(binary, write(sub.sample(frac=1, random_state=3), tmp_path / "b.csv"))
    assert (a.public, a.private) == (b.public, b.private)


def test_gzip_bom_parquet_and_frame_score_the_same(binary, tmp_path):
    sub = good_binary(binary)
    plain = score(binary, write(sub, tmp_path / "s.csv"))
    gz = tmp_path / "s.csv.gz"
    gz.write_bytes(gzip.compress(sub.to_csv(index=False).encode()))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + sub.to_csv(index=False, lineterminator="\r\n").encode())
    pq = tmp_path / "s.parquet"
    sub.to_parquet(pq)
    for other in (
        score(binary, gz),
        score(binary, bom),
        score(binary, pq),
        score_frame(binary, sub),
    ):
        assert (other.public, other.private) == pytest.approx(
            (plain.public, plain.private), rel=1e-15
        )


def test_multiclass_log_loss_matches_sklearn(multi, tmp_path):
    sol = solution(multi)
    rng = np.random.default_rng(5)
    probs = rng.dirichlet(np.ones(3), len(sol))
    sub = pd.DataFrame(probs, columns=list(CLASSES)).assign(id=sol["id"])[["id", *CLASSES]]
    result = score(multi, write(sub, tmp_path / "s.csv"))
    for split, value in (("Public", result.public), ("Private", result.private)):
        mask = (sol["Usage"] == split).to_numpy()
        assert value == pytest.approx(
            log_loss(sol["species"][mask], probs[mask], labels=list(CLASSES)), rel=1e-9
        )


def test_multiclass_rows_near_one_are_renormalized_far_ones_rejected(multi, tmp_path):
    sol = solution(multi)
    probs = np.full((len(sol), 3), 1 / 3)
    sub = pd.DataFrame(probs * (1 + 5e-4), columns=list(CLASSES)).assign(id=sol["id"])
    exact = pd.DataFrame(probs, columns=list(CLASSES)).assign(id=sol["id"])
    a = score(multi, write(sub[["id", *CLASSES]], tmp_path / "a.csv"))
    b = score(multi, write(exact[["id", *CLASSES]], tmp_path / "b.csv"))
    assert a.private == pytest.approx(b.private, rel=1e-12)
    sub.loc[7, "gentoo"] = 0.9
    with pytest.raises(InvalidSubmission) as exc:
        score(multi, write(sub[["id", *CLASSES]], tmp_path / "c.csv"))
    assert "line 9: class probabilities sum to 1.56" in problems_text(exc)


def test_labels_accuracy_matches_sklearn(labels, tmp_path):
    sol = solution(labels)
    sub = sol[["id"]].assign(species=np.random.default_rng(0).choice(CLASSES, len(sol)))
    result = score(labels, write(sub, tmp_path / "s.csv"))
    expected = expected_split(sol, sub, accuracy_score, "species")
    assert (result.public, result.private) == pytest.approx(
        (expected["Public"], expected["Private"]), rel=1e-12
    )


def test_regression_rmse_matches_sklearn(regression, tmp_path):
    sol = solution(regression)
    sub = sol[["id"]].assign(price=sol["price"] + np.random.default_rng(1).normal(size=len(sol)))
    result = score(regression, write(sub, tmp_path / "s.csv"))
    expected = expected_split(sol, sub, lambda t, p: mean_squared_error(t, p) ** 0.5, "price")
    assert result.private == pytest.approx(expected["Private"], rel=1e-12)
    assert not result.greater_is_better


# ---- the malformed-file corpus --------------------------------------------------------------

CORPUS = {
    "wrong_column": (
        "id,Y\n1000,0.5\n",
        ["unexpected column 'Y'; did you mean 'y'?", "missing column 'y'"],
    ),
    "extra_column": ("id,y,z\n1000,0.5,1\n", ["unexpected column 'z'"]),
    "duplicate_header": ("id,y,y\n1000,0.5,0.5\n", ["column 'y' appears more than once"]),
    "no_header": ("\n\n", ["has no header line"]),
    "header_only": ("id,y\n", ["has a header but no rows"]),
    "not_a_number": (
        "id,y\n{ids0},0.5\n{ids1},abc\n",
        ["line 3, column 'y': 'abc' is not a number"],
    ),
    "wrong_field_count": (
        "id,y\n{ids0},0.5\n{ids1},0.5,7\n",
        ["line 3: expected 2 fields, found 3 fields"],
    ),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_malformed_corpus(binary, tmp_path, case):
    text, expected = CORPUS[case]
    ids = solution(binary)["id"].tolist()
    path = tmp_path / f"{case}.csv"
    path.write_text(text.format(ids0=ids[0], ids1=ids[1]))
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, path)
    for fragment in expected:
        assert fragment in problems_text(exc)


def test_binary_garbage_and_non_utf8_are_named(binary, tmp_path):
    junk = tmp_path / "model.pkl"
    junk.write_bytes(b"\x80\x04\x95\x00\x00binary\x00pickle")
    with pytest.raises(InvalidSubmission, match="not a CSV or Parquet file"):
        score(binary, junk)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"id,y\n1000,0.5\n" + "caf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidSubmission, match="not UTF-8"):
        score(binary, latin)


def test_empty_and_missing_files(binary, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InvalidSubmission, match="is empty"):
        score(binary, tmp_path / "empty.csv")
    with pytest.raises(InvalidSubmission, match="no submission file"):
        score(binary, tmp_path / "nope.csv")


def test_size_limit(binary, tmp_path):
    path = write(good_binary(binary), tmp_path / "s.csv")
    with pytest.raises(PayloadTooLarge, match="over the 0 MiB limit"):
        score(binary, path, max_bytes=100)


def test_ids_duplicate_missing_unknown_and_empty(binary, tmp_path):
    sub = good_binary(binary)
    sub.loc[3, "id"] = sub.loc[2, "id"]  # duplicate of line 4 on line 5; id of row 3 missing
    sub.loc[10, "id"] = 99  # unknown
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, write(sub, tmp_path / "s.csv"))
    text = problems_text(exc)
    assert "line 5, column 'id': this id appeared on an earlier row" in text
    assert "line 12, column 'id': id is not in the test set" in text
    assert "2 test id(s) have no prediction" in text
    path = tmp_path / "e.csv"
    path.write_text("id,y\n,0.5\n" + "".join(f"{i},0.5\n" for i in sub["id"]))
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, path)
    assert "line 2, column 'id': the id is empty" in problems_text(exc)


def test_empty_nan_inf_and_out_of_range_cells(binary, tmp_path):
    sub = good_binary(binary).astype({"y": object})
    sub.loc[0, "y"] = ""
    sub.loc[1, "y"] = "nan"
    sub.loc[2, "y"] = "inf"
    sub.loc[3, "y"] = 1.5
    sub.loc[4, "y"] = -0.1
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, write(sub, tmp_path / "s.csv"))
    text = problems_text(exc)
    assert "line 2, column 'y': empty cell" in text
    assert "line 3, column 'y': NaN is not a prediction" in text
    assert "line 4, column 'y': infinite value" in text
    assert "line 5, column 'y': probability 1.5 is outside [0, 1]" in text
    assert "line 6, column 'y': probability -0.1 is outside [0, 1]" in text


def test_first_five_offenders_then_a_count(binary, tmp_path):
    sub = good_binary(binary)
    sub.loc[:11, "y"] = 2.0
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, write(sub, tmp_path / "s.csv"))
    listed = [p for p in exc.value.problems if "outside [0, 1]" in p.message]
    assert [p.line for p in listed[:5]] == [2, 3, 4, 5, 6]
    assert listed[5].message == "... and 7 more probabilities outside [0, 1]"


def test_labels_outside_the_allowed_set(labels, tmp_path):
    sol = solution(labels)
    sub = sol[["id"]].assign(species="adelie")
    sub.loc[4, "species"] = "Adelie"
    with pytest.raises(InvalidSubmission) as exc:
        score(labels, write(sub, tmp_path / "s.csv"))
    assert "line 6, column 'species': label 'Adelie' is not one of 'adelie'" in problems_text(exc)


def test_parquet_rows_are_named_by_row(binary, tmp_path):
    sub = good_binary(binary)
    sub.loc[6, "y"] = np.nan
    path = tmp_path / "s.parquet"
    sub.to_parquet(path)
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, path)
    assert "row 7: " in problems_text(exc)


def test_frame_with_text_in_a_numeric_column(binary):
    sub = good_binary(binary).astype({"y": object})
    sub.loc[2, "y"] = "high"
    with pytest.raises(InvalidSubmission) as exc:
        score_frame(binary, sub)
    assert "row 2: 'high' is not a number" in problems_text(exc)


# ---- properties of the CSV reader ------------------------------------------------------------

float_fmt = st.sampled_from(["%.17g", "%.6f", "%.3e", None])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    fmt=float_fmt,
    crlf=st.booleans(),
    bom=st.booleans(),
    gz=st.booleans(),
    quote=st.booleans(),
)
def test_any_faithful_encoding_scores_like_the_frame(
    binary, tmp_path, seed, fmt, crlf, bom, gz, quote
):
    rng = np.random.default_rng(seed)
    sub = good_binary(binary, seed).sample(frac=1, random_state=seed % 1000)
    sub["y"] = np.round(sub["y"], 3) if fmt in ("%.6f", "%.3e") else sub["y"]
    sub.loc[sub.index[: rng.integers(0, 5)], "y"] = rng.choice([0.0, 1.0])
    text = sub.to_csv(
        index=False,
        float_format=fmt,
        lineterminator="\r\n" if crlf else "\n",
        quoting=1 if quote else 0,
    )
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    path = tmp_path / f"h{seed}.csv"
    path.write_bytes(gzip.compress(data) if gz else data)
    expected = score_frame(binary, pd.read_csv(io.BytesIO(data)))
    got = score(binary, path)
    assert (got.public, got.private) == pytest.approx(
        (expected.public, expected.private), rel=1e-12
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=st.binary(min_size=1, max_size=300))
def test_arbitrary_bytes_never_crash(binary, tmp_path, junk):
    path = tmp_path / "junk.csv"
    path.write_bytes(junk)
    with pytest.raises((InvalidSubmission,)):
        score(binary, path)


def test_concurrent_cold_scoring_shares_one_cache(binary, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from trackrecord.scoring import solution as solution_module

    path = write(good_binary(binary), tmp_path / "s.csv")
    cache = tmp_path / "cache"
    solution_module._MEMORY.clear()

    def run(_: int) -> tuple[float, float]:
        solution_module._MEMORY.clear()  # force every thread down the cold path
        result = score(binary, path, cache_dir=cache)
        return result.public, result.private

    with ThreadPoolExecutor(8) as pool:
        results = set(pool.map(run, range(32)))
    assert len(results) == 1
    assert [p.suffix for p in (cache / "solutions").iterdir()] == [".arrow"]


def test_default_positive_label_is_the_larger_number(tmp_path):
    from trackrecord.bundle.model import sort_labels

    assert sort_labels(["10", "9"]) == ["9", "10"]
    assert sort_labels(["yes", "no"]) == ["no", "yes"]


def test_binary_label_f1_counts_the_challenges_positive_label(tmp_path):
    """labels = (negative, positive) for F1 too: a positive that sorts first ("ball" before
    "other") is the class counted, as sklearn's pos_label says, not the larger label."""
    from dataclasses import replace

    from sklearn.metrics import f1_score

    from trackrecord.bundle import open_bundle, write_bundle

    rng = np.random.default_rng(8)
    n = 400
    ids = np.arange(n)
    y = np.where(rng.random(n) < 0.3, "ball", "other")
    usage = np.where(rng.random(n) < 0.3, "Public", "Private")
    guess = np.where(rng.random(n) < 0.8, y, np.where(y == "ball", "other", "ball"))
    labels = labels_bundle(tmp_path / "src").challenge
    ch = replace(
        labels,
        id="pitches",
        task="binary-classification",
        metric="f1",
        target_columns=("pitch",),
        solution_columns=("pitch",),
        labels=("other", "ball"),
    )
    test = pd.DataFrame({"id": ids, "f": rng.normal(size=n)})
    write_bundle(
        tmp_path / "b",
        ch,
        description="# Pitches\n",
        train=test.assign(pitch=y),
        test=test,
        solution=pd.DataFrame({"id": ids, "pitch": y, "Usage": usage}),
        sample_submission=pd.DataFrame({"id": ids, "pitch": "other"}),
    )
    result = score_frame(open_bundle(tmp_path / "b"), pd.DataFrame({"id": ids, "pitch": guess}))
    private = usage == "Private"
    want = f1_score(y[private], guess[private], pos_label="ball")
    assert result.private == pytest.approx(want, abs=1e-12)
    assert want != pytest.approx(f1_score(y[private], guess[private], pos_label="other"))
