"""Docs stay honest: every setting and every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import typer

from trackrecord.cli import build_app
from trackrecord.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.env}`" in text, f"{setting.env} is missing from docs/settings.md"
        assert f"| {setting.name} |" in text


def command_paths(app: typer.Typer, prefix: str = "") -> set[str]:
    paths = {f"{prefix}{c.name or c.callback.__name__}" for c in app.registered_commands}
    for group in app.registered_groups:
        paths |= command_paths(group.typer_instance, f"{prefix}{group.name} ")
    return paths


def test_every_cli_command_is_in_the_reference():
    text = (DOCS / "cli.md").read_text()
    for path in sorted(command_paths(build_app())):
        assert f"trackrecord {path}" in text, f"`trackrecord {path}` is missing from docs/cli.md"
