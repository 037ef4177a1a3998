"""What every CLI command shares: settings, JSON output, and the one error mapping."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from trackrecord.errors import TrackrecordError
from trackrecord.settings import Settings, load_settings

if TYPE_CHECKING:
    from trackrecord.client import Learner

P = ParamSpec("P")
R = TypeVar("R")

# soft_wrap: a message is one line, however long (paths, problems), so piped output and
# grep see it whole; a terminal wraps it for display. Tables still fit the width.
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON instead of text.")
HomeOption = typer.Option(
    None, "--home", help="Data directory (default: $TRACKRECORD_HOME or the user data dir)."
)
ServerOption = typer.Option(
    None,
    "--server",
    help="Ask this server (after `trackrecord login --server`); "
    "default: $TRACKRECORD_SERVER, else the local data directory.",
)


def settings_from(home: Path | None = None, **overrides: Any) -> Settings:
    return load_settings({"home": home, **overrides})


@contextmanager
def learner_for(home: Path | None, server: str | None) -> Iterator[Learner]:
    """The learner's use cases here, or on `server` (or $TRACKRECORD_SERVER) through its
    API: both answer with the same dataclasses, so a command renders them the same way."""
    from trackrecord.client import LocalLearner, RemoteLearner, connect

    settings = settings_from(home, server=server)
    if settings.server:
        with connect(settings.server, home=settings.home) as client:
            yield RemoteLearner(client)
        return
    from trackrecord.cli import learner  # tests replace learner.open_service

    with learner.open_service(settings) as svc:
        yield LocalLearner(svc)


def _default(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot serialize {type(value).__name__}")


def _clean(value: Any) -> Any:
    # JSON has no NaN/inf: those become null rather than invalid output.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def to_json(data: Any) -> str:
    """Serialize dataclasses, datetimes, paths and numpy scalars; NaN becomes null."""
    return json.dumps(_clean(json.loads(json.dumps(data, default=_default))), indent=2)


def print_json(data: Any) -> None:
    typer.echo(to_json(data))


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Map core exceptions to a message on stderr and exit code 1 (usage errors stay 2)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except TrackrecordError as exc:
            err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
            for problem in exc.problems:
                err_console.print(f"  - {problem}", highlight=False, markup=False)
            raise typer.Exit(1) from None

    return wrapper
