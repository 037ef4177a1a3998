"""The catalog area: `catalog` (the projects with your progress) and `catalog build` (their
data bundles). Each command calls one Service method and renders the result as text or
(--json) JSON."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    console,
    err_console,
    handle_errors,
    print_json,
    settings_from,
)
from trackrecord.service import Service
from trackrecord.service.render import num


def _service(home: Path | None) -> Service:
    from trackrecord.cli import learner  # tests replace learner.open_service

    return learner.open_service(settings_from(home))


catalog_app = typer.Typer(
    help="List the projects with your progress (`catalog build` builds their data).",
    invoke_without_command=True,
)


@catalog_app.callback()
@handle_errors
def catalog(
    ctx: typer.Context,
    task: str | None = typer.Option(None, "--task", help="Only projects of this task."),
    skill: str | None = typer.Option(None, "--skill", help="Only projects that train this skill."),
    level: int | None = typer.Option(None, "--level", min=1, max=5, help="Only this level (1-5)."),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """List the projects, with your progress on each."""
    if ctx.invoked_subcommand is not None:
        return
    with _service(home) as svc:
        entries = svc.list_catalog(svc.local_user_id(), task=task, skill=skill, level=level)
    if json:
        print_json(entries)
        return
    table = Table("title", "task", "metric", "level", "skills", "progress")
    table.columns.insert(0, Column("id", no_wrap=True, style="bold"))
    for e in entries:
        p, mark = e.project, e.progress
        progress: str = mark.state
        if mark.submissions:
            progress += f", best {num(mark.best_public)}"
        if mark.medal:
            progress += f", {mark.medal}"
        table.add_row(p.id, p.title, p.task, p.metric, str(p.level), ", ".join(p.skills), progress)
    console.print(table)
    if not entries:
        console.print("No project matches these filters.")


@catalog_app.command("build")
@handle_errors
def catalog_build(
    ids: list[str] | None = typer.Argument(None, metavar="[ID]...", help="Default: all."),
    home: Path | None = HomeOption,
) -> None:
    """Build the projects' data bundles now (cached; `start` builds one on demand)."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with (
        _service(home) as svc,
        Progress(*columns, TimeElapsedColumn(), console=err_console) as bar,
    ):
        task = bar.add_task("Building the catalog", total=len(ids) if ids else None)

        def step(project_id: str, i: int, n: int) -> None:
            bar.update(task, total=n, completed=i, description=f"Built {project_id}")

        built = svc.build_catalog(ids or None, progress=step)
    console.print(f"{len(built)} project(s) ready under {svc.settings.catalog_dir}")


def register(app: typer.Typer) -> None:
    app.add_typer(catalog_app, name="catalog")
