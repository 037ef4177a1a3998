"""Read a submission file (CSV, gzip CSV, Parquet) into an Arrow table, strictly.

The fast path is pyarrow's multi-threaded CSV reader with the expected column types. When
pyarrow rejects a file, a slow diagnostic pass with the `csv` module finds every offending
line (1-based, header = line 1) so the learner sees what is wrong and where.

Every read is bounded by the challenge's `Budget` (scoring/limits.py) before or while it
happens: the header line by its length, a gzip stream by the bytes and lines it inflates
to, a Parquet file by the row count and sizes in its footer, read before any data.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pacsv

from trackrecord.errors import (
    MAX_LISTED,
    InvalidSubmission,
    PayloadTooLarge,
    Problem,
    strip_paths,
    summarize,
)
from trackrecord.scoring.arrays import read_pool
from trackrecord.scoring.limits import Budget, CountingStream, LimitExceeded

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
BOM = codecs.BOM_UTF8


def sniff_format(path: Path) -> str:
    """'parquet', 'gzip' or 'csv'; raises InvalidSubmission for anything else (binary data)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if b"\x00" in head:
        raise InvalidSubmission(f"{path.name} is not a CSV or Parquet file (it holds binary data)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 4096-byte boundary is fine; anything earlier is not.
        if len(head) < 4096 or exc.start < len(head) - 4:
            raise InvalidSubmission(
                f"{path.name} is not UTF-8 text (byte {exc.start + 1} is invalid); "
                "save it as UTF-8 CSV or Parquet"
            ) from None
    return "csv"


def check_size(path: Path, max_bytes: int | None) -> None:
    if not path.is_file():
        raise InvalidSubmission(f"no submission file named {path.name}")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise PayloadTooLarge(
            f"{path.name} is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit"
        )
    if size == 0:
        raise InvalidSubmission(f"{path.name} is empty")


def _cut_short(path: Path) -> InvalidSubmission:
    return InvalidSubmission(
        f"{path.name} is a damaged or incomplete gzip file (it ends before its data does); "
        "compress it again and upload the whole file"
    )


def _over(path: Path, budget: Budget, test_rows: int, reason: str) -> InvalidSubmission:
    """The refusal for a stream that passed its budget (`reason`: LimitExceeded's, "lines"
    or "bytes")."""
    if reason == "lines":
        return budget.too_many_rows(path.name, test_rows)
    return budget.too_large(path.name)


def _counting(raw: IO[bytes] | pa.NativeFile, budget: Budget) -> CountingStream:
    """The file's (decompressed) bytes from `raw`, counted against the budget while they
    stream."""
    # +1: the header line; the slack in budget.rows absorbs a trailing blank line.
    return CountingStream(raw, max_bytes=budget.bytes, max_lines=budget.rows + 1)


def read_header(path: Path, fmt: str, budget: Budget) -> list[str]:
    """Line 1, read with a bound on its length, so a huge header is refused unparsed."""
    try:
        with gzip.open(path, "rb") if fmt == "gzip" else path.open("rb") as fh:
            line = fh.readline(budget.header_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        raise _cut_short(path) from None
    except OSError as exc:
        raise InvalidSubmission(f"{path.name} cannot be read: {exc.strerror}") from None
    if len(line) > budget.header_bytes and not line.endswith(b"\n"):
        raise InvalidSubmission(
            f"{path.name} has a header line longer than {budget.header_bytes:,} bytes",
            problems=[
                Problem(
                    f"the header is longer than {budget.header_bytes:,} bytes: a submission's "
                    "header names only the id and prediction columns",
                    file=path.name,
                    line=1,
                )
            ],
        )
    try:
        text = line.removeprefix(BOM).decode("utf-8")
        row = next(csv.reader([text], strict=True), None)
    except UnicodeDecodeError as exc:
        raise InvalidSubmission(
            f"{path.name} is not UTF-8 text (byte {exc.start + 1} of line 1 is invalid)"
        ) from None
    except csv.Error as exc:
        raise InvalidSubmission(
            f"{path.name} has an unreadable header",
            problems=[Problem(str(exc), file=path.name, line=1)],
        ) from None
    if not row or all(not c.strip() for c in row):
        raise InvalidSubmission(
            f"{path.name} has no header line",
            problems=[Problem("the first line must name the columns", file=path.name, line=1)],
        )
    return row


def read_csv_table(
    path: Path,
    fmt: str,
    header: Sequence[str],
    types: Mapping[str, pa.DataType],
    budget: Budget,
    test_rows: int,
) -> pa.Table:
    """Read the whole CSV with the given column types; on failure explain where.

    A plain file is bounded by its size (checked before reading: its rows can't outgrow its
    bytes); a gzip file is counted while it inflates and refused at the first byte or line
    past the budget.
    """
    stream: CountingStream | None = None
    if fmt == "gzip":
        stream = _counting(pa.input_stream(str(path), compression="gzip"), budget)
        source: Any = stream
    else:
        size = path.stat().st_size
        if size > budget.bytes:
            raise budget.too_large(path.name, size)
        source = str(path)
    try:
        table = pacsv.read_csv(
            source,
            memory_pool=read_pool(),
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict(types),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    except (LimitExceeded, pa.ArrowInvalid, OSError, EOFError) as exc:
        if stream is not None and stream.exceeded:
            raise _over(path, budget, test_rows, stream.exceeded) from None
        problems = diagnose_csv(path, fmt, header, types, budget, test_rows)
        if problems:
            raise InvalidSubmission(f"{path.name} could not be read", problems=problems) from None
        if isinstance(exc, OSError | EOFError) and fmt == "gzip":
            raise _cut_short(path) from None
        raise InvalidSubmission(
            f"{path.name} could not be read: {strip_paths(str(exc), path)}"
        ) from None
    if table.num_rows > budget.rows:
        raise budget.too_many_rows(path.name, test_rows, table.num_rows)
    return table


def _numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _rows(path: Path, fmt: str, budget: Budget) -> Iterator[tuple[int, list[str]]]:
    raw: IO[bytes] = gzip.open(path, "rb") if fmt == "gzip" else path.open("rb")  # type: ignore[assignment]  # noqa: SIM115
    stream = _counting(raw, budget)
    with io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        start = 1
        try:
            for row in reader:
                yield start, row
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InvalidSubmission(
                f"{path.name} is not valid CSV",
                problems=[Problem(str(exc), file=path.name, line=reader.line_num)],
            ) from None


@dataclass
class _Tally:
    """The first MAX_LISTED problems of one kind and a count of all of them."""

    what: str
    kept: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, message: str, file: str, line: int, column: str | None = None) -> None:
        self.count += 1
        if len(self.kept) < MAX_LISTED:
            self.kept.append(Problem(message, file=file, line=line, column=column))

    def problems(self) -> list[Problem]:
        return summarize(self.kept, self.what, total=self.count)


def diagnose_csv(
    path: Path,
    fmt: str,
    header: Sequence[str],
    types: Mapping[str, pa.DataType],
    budget: Budget,
    test_rows: int,
) -> list[Problem]:
    """The slow, exact pass: every row whose shape or values pyarrow refused (within the
    same budget as the fast pass: this pass also stops at the first line past it)."""
    width, name = len(header), path.name
    numeric = {i for i, col in enumerate(header) if pa.types.is_floating(types.get(col, pa.null()))}
    shape = _Tally("rows with the wrong number of fields")
    values = {i: _Tally("cells that are not numbers") for i in sorted(numeric)}
    try:
        rows = _rows(path, fmt, budget)
        next(rows, None)
        for line, row in rows:
            if len(row) != width:
                found = "a blank line" if not row else f"{len(row)} fields"
                shape.add(f"expected {width} fields, found {found}", name, line)
                continue
            for i in numeric:
                cell = row[i].strip()
                if cell and not _numeric(cell):
                    values[i].add(f"{row[i]!r} is not a number", name, line, header[i])
    except LimitExceeded as exc:
        raise _over(path, budget, test_rows, str(exc)) from None
    except UnicodeDecodeError as exc:
        return [Problem(f"is not UTF-8 text (byte {exc.start + 1} is invalid)", file=name)]
    except (EOFError, zlib.error, gzip.BadGzipFile):
        raise _cut_short(path) from None
    problems = shape.problems()
    for tally in values.values():
        problems.extend(tally.problems())
    return problems


# Bounds on the Parquet footer itself (thrift-encoded): a submission's schema has a few
# columns, so these are generous and still stop a footer made to be slow to decode.
THRIFT_STRING_LIMIT = 16 * 2**20
THRIFT_CONTAINER_LIMIT = 100_000


@dataclass(frozen=True)
class ParquetSource:
    """A Parquet file whose footer was read and checked; no data read yet."""

    path: Path
    file: Any  # pyarrow.parquet.ParquetFile
    names: list[str]


def open_parquet(path: Path, budget: Budget, test_rows: int) -> ParquetSource:
    """Read only the footer and check its row count and data size against the budget."""
    import pyarrow.parquet as pq  # 10 ms of imports that CSV submissions don't need

    try:
        pf = pq.ParquetFile(
            path,
            thrift_string_size_limit=THRIFT_STRING_LIMIT,
            thrift_container_size_limit=THRIFT_CONTAINER_LIMIT,
        )
        meta = pf.metadata
        names = list(pf.schema_arrow.names)
    except (pa.ArrowException, OSError) as exc:
        raise InvalidSubmission(
            f"{path.name} is not a readable Parquet file: {strip_paths(str(exc), path)}"
        ) from None
    if meta.num_rows > budget.rows:
        raise budget.too_many_rows(path.name, test_rows, meta.num_rows)
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > budget.bytes:
        raise budget.too_large(path.name, size)
    return ParquetSource(path, pf, names)


def read_parquet(
    source: ParquetSource, columns: Sequence[str], budget: Budget, test_rows: int
) -> pa.Table:
    name = source.path.name
    try:
        table: pa.Table = source.file.read(columns=list(columns))
    except (pa.ArrowException, OSError) as exc:
        raise InvalidSubmission(
            f"{name} is not a readable Parquet file: {strip_paths(str(exc), source.path)}"
        ) from None
    if table.num_rows > budget.rows:  # a footer that understated its rows
        raise budget.too_many_rows(name, test_rows, table.num_rows)
    return table
