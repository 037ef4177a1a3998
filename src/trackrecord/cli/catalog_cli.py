"""The catalog area: `catalog` (the projects with your progress) and `catalog build` (their
data bundles). Each command calls one Service method and renders the result as text or
(--json) JSON."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from trackrecord.catalog.families import family, family_order
from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    ServerOption,
    console,
    err_console,
    handle_errors,
    learner_for,
    print_json,
    settings_from,
)
from trackrecord.service import Service
from trackrecord.service.path import PathEntry
from trackrecord.service.render import num


def _service(home: Path | None) -> Service:
    from trackrecord.cli import learner  # tests replace learner.open_service

    return learner.open_service(settings_from(home))


catalog_app = typer.Typer(
    help="List the projects with your progress and your path (`catalog build` builds data).",
    invoke_without_command=True,
)


@catalog_app.callback()
@handle_errors
def catalog(
    ctx: typer.Context,
    task: str | None = typer.Option(None, "--task", help="Only projects of this task."),
    skill: str | None = typer.Option(None, "--skill", help="Only projects that train this skill."),
    level: int | None = typer.Option(None, "--level", min=1, max=5, help="Only this level (1-5)."),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """List the projects: your progress, and which are recommended on your path."""
    if ctx.invoked_subcommand is not None:
        return
    with learner_for(home, server) as who:
        entries = who.catalog(task=task, skill=skill, level=level)
    if json:
        print_json(entries)
        return
    if not entries:
        console.print("No project matches these filters.")
        return
    console.print(catalog_table(entries))
    counts = Counter(e.path.status for e in entries)
    console.print(
        f"{counts['recommended']} recommended, {counts['not_yet']} not yet, "
        f"{counts['done']} done. Nothing is locked: `trackrecord start ID` starts any project."
    )
    nexts = [e for e in entries if e.path.status == "recommended"]
    if nexts:
        console.print("\n[bold]Recommended next[/] (`trackrecord next` ranks them by your skills):")
        for e in nexts[:8]:
            why = f"after {', '.join(e.path.after)}" if e.path.after else "no prerequisites"
            console.print(
                f"  {e.project.id} [dim](level {e.project.level}, {family(e.project)}): {why}[/]"
            )
        if len(nexts) > 8:
            console.print(f"  [dim]and {len(nexts) - 8} more[/]")


STATUS_TEXT = {
    "done": "[green]✓ done[/]",
    "recommended": "[bold cyan]recommended[/]",
    "not_yet": "[yellow]not yet[/]",
}


def _detail(e: PathEntry) -> str:
    """The dim second line under a title: the family, then where the learner stands or
    what is missing."""
    return " · ".join(x for x in (family(e.project), _status_detail(e)) if x)


def _status_detail(e: PathEntry) -> str:
    mark, p = e.progress, e.path
    if p.status == "done":
        medal = mark.medal or "no medal"
        return f"{medal}, private {num(mark.private_score)}"
    if p.status == "not_yet":
        return p.reason
    if mark.submissions:
        return f"{mark.submissions} submission(s), best public {num(mark.best_public)}"
    return "started" if mark.state == "started" else ""


def catalog_table(entries: list[PathEntry]) -> Table:
    """One section per level: id, title (with the family and the progress or the missing
    prerequisite under it) and the path status; sized for an 80-column terminal (task,
    metric, skills: --json)."""
    table = Table(
        box=None, padding=(0, 1), collapse_padding=True, pad_edge=False, header_style="bold dim"
    )
    table.add_column("lv", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True, style="bold")
    table.add_column("project", ratio=1)
    table.add_column("path", no_wrap=True)
    level = None
    for e in entries:
        if e.project.level != level:
            level = e.project.level
            here = [x for x in entries if x.project.level == level]
            families = ", ".join(family_order([family(x.project) for x in here]))
            table.add_row("", f"[bold]Level {level}[/]", f"[dim]{len(here)}: {families}[/]", "")
        detail = _detail(e)
        title = escape(e.project.title) + (f"\n[dim]{escape(detail)}[/]" if detail else "")
        table.add_row(str(e.project.level), e.project.id, title, STATUS_TEXT[e.path.status])
    return table


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
