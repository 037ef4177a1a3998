"""How much a submission may make the scorer read: rows, bytes, header size and columns.

The bounds follow the challenge: a valid file has one line per test row, so a file (or the
stream a compressed file inflates to) is refused as soon as it passes the test rows plus a
small slack, long before a decompression bomb reaches the memory it was made to fill.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from trackrecord.errors import InvalidSubmission
from trackrecord.settings import (
    DEFAULT_MAX_CELL_BYTES,
    DEFAULT_MAX_EXTRA_COLUMNS,
    DEFAULT_MAX_EXTRA_ROWS,
    DEFAULT_MAX_HEADER_BYTES,
)

if TYPE_CHECKING:
    from trackrecord.settings import Settings


@dataclass(frozen=True)
class Budget:
    """The bounds for one file of one challenge."""

    rows: int  # data rows (lines after the header)
    bytes: int  # uncompressed bytes of the whole file
    header_bytes: int
    columns: int  # most columns a header may have
    width: int  # columns of a valid submission (the id and the predictions)

    def too_many_rows(
        self, name: str, test_rows: int, found: int | None = None
    ) -> InvalidSubmission:
        count = f"{found:,} rows" if found is not None else f"more than {self.rows:,} rows"
        return InvalidSubmission(
            f"{name} has {count}, but the test set has {test_rows:,} (at most {self.rows:,} "
            "are accepted); the file was refused without reading the rest"
        )

    def too_large(self, name: str, found: int | None = None) -> InvalidSubmission:
        size = f"{found:,} bytes" if found is not None else f"more than {self.bytes:,} bytes"
        return InvalidSubmission(
            f"{name} holds {size} of data, over the {self.bytes:,} allowed for {self.rows:,} "
            f"rows of {self.width} columns; the file was refused without reading the rest"
        )


@dataclass(frozen=True)
class ScoringLimits:
    """The settings that bound a submission (docs/settings.md); defaults as declared there."""

    extra_rows: int = DEFAULT_MAX_EXTRA_ROWS
    cell_bytes: int = DEFAULT_MAX_CELL_BYTES
    header_bytes: int = DEFAULT_MAX_HEADER_BYTES
    extra_columns: int = DEFAULT_MAX_EXTRA_COLUMNS

    @classmethod
    def from_settings(cls, settings: Settings) -> ScoringLimits:
        return cls(
            extra_rows=settings.max_extra_rows,
            cell_bytes=settings.max_cell_bytes,
            header_bytes=settings.max_header_bytes,
            extra_columns=settings.max_extra_columns,
        )

    def budget(self, test_rows: int, columns: int) -> Budget:
        """The bounds for a challenge with `test_rows` answer-key rows and `columns`
        submission columns (the id and the predictions)."""
        rows = test_rows + self.extra_rows
        return Budget(
            rows=rows,
            bytes=self.header_bytes + rows * columns * self.cell_bytes,
            header_bytes=self.header_bytes,
            columns=columns + self.extra_columns,
            width=columns,
        )


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class LimitExceeded(Exception):
    """Raised inside a read when a bound is passed; the reader turns it into a message."""


class CountingStream(io.RawIOBase):
    """A read-only stream over `raw` (a decompressing stream) that counts what it hands out
    and fails the read that passes `max_bytes` bytes or `max_lines` line ends.

    Counting line ends over-counts rows only for quoted newlines, which no submission
    column holds; the bound is on lines, and the message says lines.
    """

    def __init__(self, raw: _Readable, *, max_bytes: int, max_lines: int) -> None:
        super().__init__()
        self.raw = raw
        self.max_bytes = max_bytes
        self.max_lines = max_lines
        self.consumed = 0
        self.lines = 0
        self.exceeded: str | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self.exceeded:
            raise LimitExceeded(self.exceeded)
        data = self.raw.read(-1 if size is None else size)
        self.consumed += len(data)
        self.lines += data.count(b"\n")
        if self.lines > self.max_lines:  # first: the more telling of the two
            self.exceeded = "lines"
        elif self.consumed > self.max_bytes:
            self.exceeded = "bytes"
        if self.exceeded:
            raise LimitExceeded(self.exceeded)
        return data

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
