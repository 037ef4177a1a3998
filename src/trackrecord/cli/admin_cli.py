"""The admin area: server maintenance (`admin gc`: files the store no longer needs)."""

from __future__ import annotations

from pathlib import Path

import typer

from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    console,
    handle_errors,
    print_json,
    settings_from,
)

admin_app = typer.Typer(help="Server maintenance.", no_args_is_help=True)

LABELS = {
    "expired invalid file": "expired invalid files",
    "unreferenced": "unreferenced files",
    "half-written": "half-written uploads",
}
LISTED = 20  # files named one by one in the text output; the rest are counted


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


@admin_app.command("gc")
@handle_errors
def gc(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what would be removed; remove nothing."
    ),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Remove stored files nothing needs: files of invalid submissions past their
    retention, unreferenced files, half-written uploads (all older than the grace)."""
    from trackrecord.service import Service
    from trackrecord.service.gc import collect

    with Service(settings_from(home)) as svc:
        report = collect(svc, dry_run=dry_run)
    if json:
        print_json({**report.__dict__, "freed_bytes": report.freed_bytes})
        return
    verb = "Would free" if dry_run else "Freed"
    console.print(
        f"{verb} {human_bytes(report.freed_bytes)} in {len(report.removed)} files "
        f"(invalid files are kept {report.retention_days} days; files younger than "
        f"{report.grace_minutes} min are left alone: {report.kept_young} such).",
        highlight=False,
    )
    for kind, label in LABELS.items():
        total = report.totals[kind]
        console.print(
            f"  {label:<22} {total['files']:>6}  {human_bytes(total['bytes']):>10}",
            highlight=False,
        )
    for f in report.removed[:LISTED]:
        console.print(f"  - {f.kind}: {f.name} ({human_bytes(f.size_bytes)})", highlight=False)
    if len(report.removed) > LISTED:
        console.print(f"  ... and {len(report.removed) - LISTED} more (--json lists them all)")


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
