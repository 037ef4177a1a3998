"""Common slips get a plain hint, and a value outside the metric's domain names its line
(validated over the whole file before any split is scored, so no error reveals the split)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Spec, write_toy_bundle
from trackrecord.bundle import Bundle
from trackrecord.errors import InvalidSubmission
from trackrecord.scoring import score

ROWS = 40


@pytest.fixture(scope="module")
def rmsle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    return write_toy_bundle(
        tmp_path_factory.mktemp("hints"), Spec(id="toy-rmsle", metric="rmsle"), ROWS
    )


@pytest.fixture(scope="module")
def poisson(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    spec = Spec(id="toy-poisson", metric="poisson_deviance")
    return write_toy_bundle(tmp_path_factory.mktemp("hints"), spec, ROWS)


def _good(bundle: Bundle) -> pd.DataFrame:
    test = pd.read_csv(bundle.public_dir / "test.csv")
    return pd.DataFrame({"id": test["id"], "y": np.linspace(9000, 9040, len(test))})


def _problems(bundle: Bundle, path: Path) -> str:
    with pytest.raises(InvalidSubmission) as exc:
        score(bundle, path)
    return exc.value.message + "\n" + "\n".join(str(p) for p in exc.value.problems)


def test_a_semicolon_separated_file_gets_a_hint(rmsle: Bundle, tmp_path: Path) -> None:
    path = tmp_path / "sub.csv"
    _good(rmsle).to_csv(path, index=False, sep=";")
    text = _problems(rmsle, path)
    assert "looks separated by ';'" in text and "line 1" in text


def test_a_file_saved_with_its_index_gets_a_hint(rmsle: Bundle, tmp_path: Path) -> None:
    path = tmp_path / "sub.csv"
    _good(rmsle).to_csv(path)  # pandas writes the index as an unnamed first column
    text = _problems(rmsle, path)
    assert "index=False" in text and "saved pandas index" in text


def test_a_negative_value_for_rmsle_names_its_line(rmsle: Bundle, tmp_path: Path) -> None:
    sub = _good(rmsle)
    sub.loc[6, "y"] = -59.0
    path = tmp_path / "sub.csv"
    sub.to_csv(path, index=False)
    text = _problems(rmsle, path)
    assert "line 8" in text and "-59.0" in text and "at least 0" in text
    assert "public" not in text.lower() and "private" not in text.lower()


def test_poisson_predictions_must_be_strictly_positive(poisson: Bundle, tmp_path: Path) -> None:
    sub = _good(poisson)
    sub.loc[0, "y"] = 0.0
    path = tmp_path / "sub.csv"
    sub.to_csv(path, index=False)
    assert "line 2" in _problems(poisson, path)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bad=st.sets(st.integers(0, ROWS - 1), min_size=1, max_size=8))
def test_the_same_message_whichever_split_holds_the_bad_rows(
    rmsle: Bundle, tmp_path: Path, bad: set[int]
) -> None:
    """The audit recovered a split from errors that quoted a split's extreme value; now the
    problems are exactly the bad lines, whatever split they belong to."""
    sub = _good(rmsle)
    sub.loc[sorted(bad), "y"] = -1.5
    path = tmp_path / "sub.csv"
    sub.to_csv(path, index=False)
    with pytest.raises(InvalidSubmission) as exc:
        score(rmsle, path)
    lines = sorted(p.line for p in exc.value.problems if p.line is not None)
    expected = sorted(r + 2 for r in bad)[:5]  # the first five are listed, then a count
    assert lines == expected
