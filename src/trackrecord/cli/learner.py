"""The learner's loop on the command line: start, submit, submissions, finalize, status,
and `db upgrade` (`catalog` is in catalog_cli). Each command parses its arguments, calls
one Service method and renders the result as text or (--json) JSON."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer
from rich.table import Table

from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    console,
    err_console,
    handle_errors,
    print_json,
    settings_from,
)
from trackrecord.errors import InvalidSubmission
from trackrecord.service import Service
from trackrecord.service.render import (
    REMOTE_SUBMIT_KEYS,
    finalize_rows,
    num,
    remote_rows,
    status_rows,
    submit_rows,
)
from trackrecord.settings import Settings
from trackrecord.store.migrate import upgrade


def open_service(settings: Settings) -> Service:
    """The Service every command uses (tests replace this to inject a catalog)."""
    return Service(settings)


def _service(home: Path | None) -> Service:
    return open_service(settings_from(home))


def _print_rows(title: str, rows: list[tuple[str, str]]) -> None:
    table = Table(title=title, show_header=False, title_justify="left", box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)


def start(
    project_id: str = typer.Argument(..., metavar="ID", help="A project id from `catalog`."),
    dir: Path | None = typer.Option(None, "--dir", help="Workspace folder (default: ./ID)."),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Write a workspace for a project: data, README.md (the brief), starter.ipynb."""
    with _service(home) as svc, err_console.status(f"Preparing {project_id}..."):
        result = svc.start(svc.local_user_id(), project_id, dir)
    if json:
        print_json(result)
        return
    console.print(f"Workspace for [bold]{result.project.title}[/] in {result.path}")
    for name in result.written:
        console.print(f"  wrote {name}")
    for name in result.kept:
        console.print(f"  kept  {name} (already there)")
    console.print(f"Next: read {result.path / 'README.md'}, then open starter.ipynb.")


def submit(
    project_id: str = typer.Argument(..., metavar="ID"),
    file: Path = typer.Argument(..., help="Submission file: CSV (optionally gzipped) or Parquet."),
    note: str | None = typer.Option(None, "--note", help="A note kept with the submission."),
    server: str | None = typer.Option(
        None,
        "--server",
        help="Submit to this server (after `trackrecord login --server`); "
        "default: $TRACKRECORD_SERVER, else the local data directory.",
    ),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Score a submission file and record it."""
    settings = settings_from(home, server=server)
    if settings.server:
        from trackrecord.client import submit_to_server

        answer = submit_to_server(settings.server, project_id, file, home=settings.home, note=note)
        if json:
            print_json(answer)
        else:
            _print_rows(
                f"Scored {file.name} on {settings.server}", remote_rows(answer, REMOTE_SUBMIT_KEYS)
            )
        return
    with _service(home) as svc:
        try:
            result = svc.submit(svc.local_user_id(), project_id, file, note=note)
        except InvalidSubmission:
            err_console.print("Not scored: the file was kept in your history as invalid and "
                              "does not count against today's submissions.")  # fmt: skip
            raise
    if json:
        print_json(result)
    else:
        _print_rows(f"Scored {file.name}", submit_rows(result))


def submissions(
    project_id: str = typer.Argument(..., metavar="ID"),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """List your submissions to a project, oldest first."""
    with _service(home) as svc:
        views = svc.submissions(svc.local_user_id(), project_id)
    if json:
        print_json(views)
        return
    table = Table("#", "when (UTC)", "file", "status", "public", "private", "picked")
    for v in views:
        table.add_row(
            str(v.id),
            f"{v.created_at:%Y-%m-%d %H:%M}",
            v.filename,
            v.status if not v.problems else f"{v.status}: {v.problems[0]}",
            num(v.public_score),
            num(v.private_score),
            "yes" if v.picked else "",
        )
    console.print(table)
    if not views:
        console.print(f"No submissions to {project_id} yet.")


def finalize(
    project_id: str = typer.Argument(..., metavar="ID"),
    pick: list[int] | None = typer.Option(
        None, "--pick", help="A submission number to pick (repeat; default: best public)."
    ),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Choose final submissions, reveal the private score and award the medal (once)."""
    with _service(home) as svc:
        result = svc.finalize(svc.local_user_id(), project_id, pick or ())
    if json:
        print_json(result)
    else:
        _print_rows(f"Finalized {project_id}", finalize_rows(result))


def status(json: bool = JsonOption, home: Path | None = HomeOption) -> None:
    """Your projects, medals, best scores and streak."""
    with _service(home) as svc:
        report = svc.status(svc.local_user_id())
        estimates = svc.skills(svc.local_user_id())
    if json:
        print_json({**asdict(report), "skills": [asdict(e) for e in estimates]})
        return
    _print_rows("Your track record", status_rows(report))
    if report.projects:
        table = Table("project", "state", "submissions", "best public", "private", "medal")
        for p in report.projects:
            table.add_row(p.id, p.state, str(p.submissions), num(p.best_public),
                          num(p.private_score), p.medal or "")  # fmt: skip
        console.print(table)
    if estimates:
        from trackrecord.cli.mastery_cli import skills_table

        console.print(skills_table(estimates))


db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
@handle_errors
def db_upgrade(home: Path | None = HomeOption) -> None:
    """Create or migrate the database to the current schema."""
    settings = settings_from(home)
    revision = upgrade(settings)
    console.print(f"Database at revision {revision}.")


def register(app: typer.Typer) -> None:
    for command in (start, submit, submissions, finalize, status):
        app.command(command.__name__)(handle_errors(command))
    app.add_typer(db_app, name="db")
