"""The `trackrecord` command line: one Typer app assembled from one module per area.

Each area module exposes `register(app)`; commands parse arguments, call one core or
service function, and render the result (text, or JSON with --json).

Start-up time matters (`trackrecord score` on a large file is benchmarked end to end), so a
run imports only the area that owns the command it was given: `COMMANDS` declares which
area owns which top-level command, and a test keeps it in step with the registrations.
`trackrecord.cli.app` (for tests and help) is the full app, built on first use.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import typer

AREAS = (
    "scoring",
    "catalog_cli",
    "learner",
    "mastery_cli",
    "server",
    "portfolio_cli",
    "ledger_cli",
    "fetch_cli",
    "admin_cli",
    "users_cli",
    "worker_cli",
)

COMMANDS = {
    "score": "scoring",
    "metrics": "scoring",
    "challenge": "scoring",
    "catalog": "catalog_cli",
    "start": "learner",
    "submit": "learner",
    "submissions": "learner",
    "jobs": "learner",
    "finalize": "learner",
    "status": "learner",
    "db": "learner",
    "next": "mastery_cli",
    "mastery": "mastery_cli",
    "serve": "server",
    "login": "server",
    "token": "server",
    "users": "users_cli",
    "admin": "admin_cli",
    "post": "portfolio_cli",
    "publish": "portfolio_cli",
    "keys": "ledger_cli",
    "credential": "ledger_cli",
    "export": "ledger_cli",
    "verify": "ledger_cli",
    "fetch": "fetch_cli",
    "worker": "worker_cli",
}


def build_app(areas: Sequence[str] = AREAS) -> typer.Typer:
    app = typer.Typer(
        name="trackrecord",
        help="Learn machine learning by shipping real, graded projects.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for area in areas:
        try:
            module = importlib.import_module(f"trackrecord.cli.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"trackrecord.cli.{area}":
                continue  # an area not built into this install
            raise
        module.register(app)
    return app


_FULL: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    global _FULL
    if name == "app":
        if _FULL is None:
            _FULL = build_app()
        return _FULL
    raise AttributeError(name)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args if not a.startswith("-")), None)
    area = COMMANDS.get(first or "")
    build_app((area,) if area else AREAS)(args=args, prog_name="trackrecord")
