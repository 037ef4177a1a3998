"""Issue 11, findings 2, 3 and 9: uploads made to cost the server memory or time are refused
before the expensive work. Each test performs the attack at a size that keeps the test light
and shows where the reading stopped (bytes handed out, the data never read), not a timing."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.factories import binary_bundle
from trackrecord.errors import (
    MAX_MESSAGE_CHARS,
    MAX_PROBLEMS,
    InvalidSubmission,
    Problem,
    TrackrecordError,
)
from trackrecord.scoring import reader, score
from trackrecord.scoring.limits import CountingStream, ScoringLimits
from trackrecord.settings import DEFAULT_MAX_HEADER_BYTES

MIB = 2**20
TEST_ROWS = 200  # binary_bundle's answer key


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory):
    return binary_bundle(tmp_path_factory.mktemp("limits") / "binary")


@pytest.fixture
def streams(monkeypatch: pytest.MonkeyPatch) -> list[CountingStream]:
    """Every counting stream the reader opens, to see how far it read."""
    made: list[CountingStream] = []

    class Spy(CountingStream):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(reader, "CountingStream", Spy)
    return made


def gzip_bomb(path: Path, head: bytes, block: bytes, copies: int) -> Path:
    """A valid multi-member gzip file: `head`, then `block` `copies` times. Each member is
    compressed once and repeated, so a 1 GiB bomb is written in milliseconds."""
    member = gzip.compress(block, 9)
    with path.open("wb") as out:
        out.write(gzip.compress(head))
        for _ in range(copies):
            out.write(member)
    return path


def good_csv(binary) -> bytes:  # type: ignore[no-untyped-def]
    ids = range(1000, 1000 + TEST_ROWS)
    return b"id,y\n" + b"".join(b"%d,0.5\n" % i for i in ids)


# ---- finding 2: decompression bombs --------------------------------------------------------


def test_gzip_bomb_of_rows_stops_after_the_allowed_lines(binary, tmp_path, streams):
    # 1 GiB of "1,0.5" lines (179M rows) in a ~1 MB file.
    bomb = gzip_bomb(tmp_path / "sub.csv.gz", b"id,y\n", b"1,0.5\n" * (MIB // 6), 1024)
    assert bomb.stat().st_size < 2 * MIB
    with pytest.raises(
        InvalidSubmission, match=r"has more than 1,200 rows, but the test set has 200"
    ):
        score(binary, bomb)
    consumed = max(s.consumed for s in streams)
    assert consumed < 4 * MIB  # of 1 GiB: the stream was abandoned at its first blocks


def test_gzip_bomb_without_line_ends_stops_at_the_byte_budget(binary, tmp_path, streams):
    bomb = gzip_bomb(tmp_path / "sub.csv.gz", b"id,y\n1000,", b"0" * MIB, 1024)
    budget = ScoringLimits().budget(TEST_ROWS, 2)
    with pytest.raises(
        InvalidSubmission, match=f"over the {budget.bytes:,} allowed for 1,200 rows of 2 columns"
    ):
        score(binary, bomb)
    assert max(s.consumed for s in streams) < budget.bytes + 4 * MIB


def test_the_slow_diagnostic_pass_keeps_the_same_budget(binary, tmp_path, streams):
    # A bad cell on line 2 sends the file to the exact (Python) pass; the bomb behind it
    # must not be read to its end there either.
    bomb = gzip_bomb(tmp_path / "sub.csv.gz", b"id,y\n1000,abc\n", b"1,0.5\n" * 100_000, 1000)
    budget = ScoringLimits().budget(TEST_ROWS, 2)
    types = {"y": pa.float64()}
    with pytest.raises(InvalidSubmission, match="has more than 1,200 rows"):
        reader.diagnose_csv(bomb, "gzip", ["id", "y"], types, budget, TEST_ROWS)
    assert streams[-1].lines <= budget.rows + 1 + 200_000  # one buffered read past the bound


def test_parquet_bomb_is_refused_from_its_footer_before_any_data(
    binary, tmp_path, monkeypatch: pytest.MonkeyPatch
):
    # 2M rows, zstd, a few KB: the row count is in the footer.
    path = tmp_path / "sub.parquet"
    chunk = pa.table({"id": pa.array([1000] * 100_000), "y": pa.array([0.5] * 100_000)})
    with pq.ParquetWriter(path, chunk.schema, compression="zstd") as writer:
        for _ in range(20):
            writer.write_table(chunk)
    assert path.stat().st_size < 256 * 1024

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the data was read")

    monkeypatch.setattr(pq.ParquetFile, "read", never)
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", never)
    monkeypatch.setattr(pq, "read_table", never)
    with pytest.raises(
        InvalidSubmission, match=r"has 2,000,000 rows, but the test set has 200 \(at most 1,200"
    ):
        score(binary, path)


def test_a_valid_file_at_the_exact_bound_still_scores(binary, tmp_path):
    no_slack = ScoringLimits(extra_rows=0)
    plain = tmp_path / "sub.csv"
    plain.write_bytes(good_csv(binary))
    packed = tmp_path / "sub.csv.gz"
    packed.write_bytes(gzip.compress(good_csv(binary)))
    table = pa.table({"id": list(range(1000, 1000 + TEST_ROWS)), "y": [0.5] * TEST_ROWS})
    pq.write_table(table, tmp_path / "sub.parquet")
    for path in (plain, packed, tmp_path / "sub.parquet"):
        assert score(binary, path, limits=no_slack).rows == TEST_ROWS
    extra = tmp_path / "extra.csv"
    extra.write_bytes(good_csv(binary) + b"5,0.5\n")
    with pytest.raises(InvalidSubmission, match="has 201 rows, but the test set has 200"):
        score(binary, extra, limits=no_slack)


def test_a_plain_file_larger_than_its_rows_allow_is_refused_unread(binary, tmp_path, streams):
    path = tmp_path / "sub.csv"
    path.write_bytes(good_csv(binary) + b"1," + b"0" * (2 * MIB) + b"\n")
    with pytest.raises(InvalidSubmission, match="bytes of data, over the"):
        score(binary, path)


# ---- finding 3: wide headers, long header lines, the size of an error ---------------------


def test_a_million_column_header_is_refused_before_parsing(binary, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b",".join(b"c" for _ in range(1_000_000)) + b"\n" + b"1,0.5\n")
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, path)
    assert f"longer than {DEFAULT_MAX_HEADER_BYTES:,} bytes" in str(exc.value)
    assert len(json.dumps(exc.value.to_dict())) < 2000


def test_a_header_with_far_too_many_columns_is_one_short_problem(binary, tmp_path):
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(10_000))  # 58 KB: under the line limit
    path.write_text(header + "\n" + ",".join("1" * 10_000) + "\n")
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, path)
    problems = exc.value.problems
    assert [p.line for p in problems] == [1]
    assert "the header has 10,000 columns; a submission has 2: id, y" in problems[0].message
    assert len(json.dumps(exc.value.to_dict())) < 2000


def test_a_few_extra_columns_are_still_each_named(binary, tmp_path):
    path = tmp_path / "sub.csv"
    path.write_text("id,y,extra1,extra2\n1000,0.5,1,2\n")
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, path)
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "unexpected column 'extra1'" in text and "unexpected column 'extra2'" in text


@pytest.mark.parametrize("compress", [False, True])
def test_a_10_mb_header_line_is_a_clear_error(binary, tmp_path, compress):
    data = b"id,y" + b"x" * (10 * MIB) + b"\n1000,0.5\n"
    path = tmp_path / ("sub.csv.gz" if compress else "sub.csv")
    path.write_bytes(gzip.compress(data, 1) if compress else data)
    with pytest.raises(InvalidSubmission, match="header line longer than") as exc:
        score(binary, path)
    assert exc.value.problems[0].line == 1


def test_an_error_stores_the_first_problems_and_a_count_of_the_rest():
    many = [Problem("x" * 5000, file="f" * 5000, line=i, column="c" * 5000) for i in range(10**4)]
    exc = InvalidSubmission("m" * 10**6, problems=many)
    stored = json.dumps(exc.to_dict())
    assert len(stored) < 200_000
    assert len(exc.problems) == MAX_PROBLEMS + 1
    assert exc.problems[-1].message == f"... and {10**4 - MAX_PROBLEMS:,} more problems"
    assert exc.problems[0].message.endswith("(4,000 more characters)")
    assert len(exc.message) < MAX_MESSAGE_CHARS + 50
    assert isinstance(exc, TrackrecordError)


# ---- finding 9: short, damaged and hostile files say what and where -------------------------


@pytest.mark.parametrize("keep", [0.5, 0.9, 12])
def test_a_gzip_cut_short_is_named(binary, tmp_path, keep):
    whole = gzip.compress(good_csv(binary))
    cut = whole[: int(len(whole) * keep)] if keep < 1 else whole[: int(keep)]
    path = tmp_path / "sub.csv.gz"
    path.write_bytes(cut)
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, path)
    assert exc.value.message.startswith("sub.csv.gz is a damaged or incomplete gzip file")


def test_errors_name_the_file_never_the_server_folder(binary, tmp_path):
    folder = tmp_path / "trackrecord-submit-secret"
    folder.mkdir()
    broken = folder / "mine.parquet"
    broken.write_bytes(b"PAR1" + b"\x00garbage" * 100)
    with pytest.raises(InvalidSubmission) as exc:
        score(binary, broken)
    text = json.dumps(exc.value.to_dict())
    assert "mine.parquet" in text
    assert str(folder) not in text and "trackrecord-submit-secret" not in text
    with pytest.raises(InvalidSubmission) as missing:
        score(binary, folder / "gone.csv")
    assert str(folder) not in json.dumps(missing.value.to_dict())
