"""Label columns are checked straight from the reader's chunks: a chunked column gives the
same located problems as the same values in one array, a problem in a later chunk included."""

from __future__ import annotations

import pyarrow as pa

from trackrecord.scoring.validate import Locator, check_labels

ALLOWED = ("cat", "dog")
VALUES = ["cat", "dog", None, "cat", "cow", "dog", None, "bird", "cat"] * 3


def _chunked(values: list[str | None]) -> pa.ChunkedArray:
    cut = [values[:4], values[4:11], values[11:]]
    return pa.chunked_array([pa.array(c, pa.string()) for c in cut], type=pa.string())


def test_a_chunked_label_column_reports_what_one_array_does() -> None:
    loc = Locator("sub.csv")
    chunked = _chunked(VALUES)
    assert chunked.num_chunks == 3
    for allowed in (ALLOWED, None):
        expected = check_labels(pa.array(VALUES, pa.string()), "y", allowed, loc)
        assert check_labels(chunked, "y", allowed, loc) == expected
    problems = check_labels(chunked, "y", ALLOWED, loc)
    messages = [(p.line, p.message) for p in problems]
    assert (4, "empty cell") in messages
    assert (6, "label 'cow' is not one of 'cat', 'dog'") in messages
    assert (18, "label 'bird' is not one of 'cat', 'dog'") in messages  # third chunk
    assert any(p.message == "... and 1 more unknown labels" for p in problems)


def test_a_valid_chunked_label_column_has_no_problems() -> None:
    chunked = _chunked(["cat", "dog"] * 10)
    assert check_labels(chunked, "y", ALLOWED, Locator("sub.csv")) == []
