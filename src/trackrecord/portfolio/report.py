"""What a build says about its inputs: notices (repairs, sanitizing, warnings) and the
error a post that cannot be read raises, each naming the file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from trackrecord.errors import Problem, TrackrecordError

Kind = Literal["repaired", "sanitized", "warning", "skipped", "error"]


class PostError(TrackrecordError):
    """A post that cannot be read; `problems` name its file and line."""

    status = 422
    code = "invalid_post"


@dataclass(frozen=True)
class Notice:
    """Something a build did to a post or noticed about it, with where."""

    kind: Kind
    message: str
    file: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.kind}: {self.message}"


def post_error(path: Path, message: str, line: int | None = None) -> PostError:
    problem = Problem(message, file=str(path), line=line)
    return PostError(f"cannot read the post {path.name}", problems=[problem])
