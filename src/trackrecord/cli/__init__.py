"""The `trackrecord` command line: one Typer app assembled from one module per area.

Each area module exposes `register(app)`; commands parse arguments, call one core or
service function, and render the result (text, or JSON with --json).
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="trackrecord",
    help="Learn machine learning by shipping real, graded projects.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

AREAS = ("scoring", "learner", "mastery_cli", "server")


def _register_all() -> None:
    for area in AREAS:
        try:
            module = importlib.import_module(f"trackrecord.cli.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"trackrecord.cli.{area}":
                continue  # an area not built yet
            raise
        module.register(app)


_register_all()


def main() -> None:
    app()
