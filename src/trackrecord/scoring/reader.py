"""Read a submission file (CSV, gzip CSV, Parquet) into an Arrow table, strictly.

The fast path is pyarrow's multi-threaded CSV reader with the expected column types. When
pyarrow rejects a file, a slow diagnostic pass with the `csv` module finds every offending
line (1-based, header = line 1) so the learner sees what is wrong and where.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.csv as pacsv

from trackrecord.errors import InvalidSubmission, PayloadTooLarge, Problem, summarize
from trackrecord.scoring.arrays import read_pool

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
        raise InvalidSubmission(f"no submission file at {path}")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise PayloadTooLarge(
            f"{path.name} is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit"
        )
    if size == 0:
        raise InvalidSubmission(f"{path.name} is empty")


def _open_text(path: Path, fmt: str) -> IO[str]:
    # The caller closes the wrapper, which closes the raw stream.
    raw: IO[bytes] = (
        gzip.open(path, "rb") if fmt == "gzip" else path.open("rb")  # type: ignore[assignment]  # noqa: SIM115
    )
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_header(path: Path, fmt: str) -> list[str]:
    try:
        with _open_text(path, fmt) as fh:
            row = next(csv.reader(fh), None)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InvalidSubmission(f"{path.name} cannot be read as CSV: {exc}") from None
    if not row or all(not c.strip() for c in row):
        raise InvalidSubmission(
            f"{path.name} has no header line",
            problems=[Problem("the first line must name the columns", file=path.name, line=1)],
        )
    return row


def read_csv_table(
    path: Path, fmt: str, header: Sequence[str], types: Mapping[str, pa.DataType]
) -> pa.Table:
    """Read the whole CSV with the given column types; on failure explain where."""
    source = pa.input_stream(str(path), compression="gzip" if fmt == "gzip" else None)
    try:
        return pacsv.read_csv(
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
    except (pa.ArrowInvalid, OSError, EOFError) as exc:
        problems = diagnose_csv(path, fmt, header, types)
        if problems:
            raise InvalidSubmission(f"{path.name} could not be read", problems=problems) from None
        raise InvalidSubmission(f"{path.name} could not be read: {exc}") from None


def _numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _rows(path: Path, fmt: str) -> Iterator[tuple[int, list[str]]]:
    with _open_text(path, fmt) as fh:
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


def diagnose_csv(
    path: Path, fmt: str, header: Sequence[str], types: Mapping[str, pa.DataType]
) -> list[Problem]:
    """The slow, exact pass: every row whose shape or values pyarrow refused."""
    width = len(header)
    numeric = {
        i for i, name in enumerate(header) if pa.types.is_floating(types.get(name, pa.null()))
    }
    shape: list[Problem] = []
    values: dict[str, list[Problem]] = {}
    try:
        rows = _rows(path, fmt)
        next(rows, None)
        for line, row in rows:
            if len(row) != width:
                found = "a blank line" if not row else f"{len(row)} fields"
                shape.append(
                    Problem(f"expected {width} fields, found {found}", file=path.name, line=line)
                )
                continue
            for i in numeric:
                cell = row[i].strip()
                if cell and not _numeric(cell):
                    values.setdefault(header[i], []).append(
                        Problem(
                            f"{row[i]!r} is not a number",
                            file=path.name,
                            line=line,
                            column=header[i],
                        )
                    )
    except UnicodeDecodeError as exc:
        return [Problem(f"is not UTF-8 text: {exc}", file=path.name)]
    problems = summarize(shape, "rows with the wrong number of fields") if shape else []
    for cells in values.values():
        problems.extend(summarize(cells, "cells that are not numbers"))
    return problems


def read_parquet_table(path: Path) -> pa.Table:
    import pyarrow.parquet as pq  # 10 ms of imports that CSV submissions don't need

    try:
        return pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidSubmission(f"{path.name} is not a readable Parquet file: {exc}") from None
