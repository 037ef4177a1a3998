"""Typed core exceptions.

Every error a user can cause is one of these: a small class with a human message, an HTTP
status and a stable machine code. Each face (CLI, JSON API, HTML) maps them in one place.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LISTED = 5
# What one error may carry, whatever the input did: an error is shown on pages and stored
# with an invalid submission, so a file crafted to fail a million ways stays a short row.
MAX_PROBLEMS = 100
MAX_MESSAGE_CHARS = 1000
MAX_NAME_CHARS = 200


def clip(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with the count of what was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: what, and where (file, 1-based line, column)."""

    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", clip(self.message, MAX_MESSAGE_CHARS))
        if self.file is not None:
            object.__setattr__(self, "file", clip(self.file, MAX_NAME_CHARS))
        if self.column is not None:
            object.__setattr__(self, "column", clip(self.column, MAX_NAME_CHARS))

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


class TrackrecordError(Exception):
    """Base of every user-facing error."""

    status: int = 400
    code: str = "error"

    def __init__(self, message: str, *, problems: Sequence[Problem] = ()) -> None:
        message = clip(message, MAX_MESSAGE_CHARS)
        super().__init__(message)
        self.message = message
        self.problems = list(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            self.problems.append(Problem(f"... and {rest:,} more problems"))

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message, *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "problems": [p.to_dict() for p in self.problems],
            }
        }


class InvalidBundle(TrackrecordError):
    status = 422
    code = "invalid_bundle"


class InvalidSubmission(TrackrecordError):
    status = 422
    code = "invalid_submission"


class InvalidMetricInput(TrackrecordError):
    status = 422
    code = "invalid_metric_input"


class UnknownMetric(TrackrecordError):
    status = 422
    code = "unknown_metric"


class NotFound(TrackrecordError):
    status = 404
    code = "not_found"


class QuotaExceeded(TrackrecordError):
    status = 429
    code = "quota_exceeded"


class RateLimited(TrackrecordError):
    status = 429
    code = "rate_limited"


class Conflict(TrackrecordError):
    status = 409
    code = "conflict"


class PermissionDenied(TrackrecordError):
    status = 403
    code = "forbidden"


class AuthenticationRequired(TrackrecordError):
    status = 401
    code = "unauthenticated"


class PayloadTooLarge(TrackrecordError):
    status = 413
    code = "payload_too_large"


class ConfigError(TrackrecordError):
    status = 500
    code = "config_error"


def summarize(problems: Sequence[Problem], what: str, total: int | None = None) -> list[Problem]:
    """Keep the first MAX_LISTED problems of one kind and add a count of the rest; `total`:
    how many there were, when only the first ones were kept (default: len(problems))."""
    kept = list(problems[:MAX_LISTED])
    rest = (total if total is not None else len(problems)) - len(kept)
    if rest > 0:
        first = problems[0]
        kept.append(Problem(f"... and {rest} more {what}", file=first.file, column=first.column))
    return kept


# An absolute path (POSIX or Windows) not preceded by a word character: its folders are
# dropped, its last part kept.
_ABSOLUTE = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?(?:[/\\][^/\\\s'\":]+)+[/\\]([^/\\\s'\":]+)")


def strip_paths(text: str, *paths: os.PathLike[str] | str) -> str:
    """A library's error message without the server's folders: each of `paths` becomes its
    file name, and any other absolute path its last part (a temporary folder says nothing
    to a learner and something to an attacker)."""
    for path in paths:
        full, name = os.fspath(path), os.path.basename(os.fspath(path))
        for variant in {full, os.path.abspath(full), os.path.realpath(full)}:
            text = text.replace(variant, name)
    return _ABSOLUTE.sub(r"\1", text)
