"""The learner's loop on the command line: start, submit, submissions, finalize, status,
and `db upgrade` (`catalog` is in catalog_cli). Each command parses its arguments, calls
one Service method and renders the result as text or (--json) JSON.

With `--server URL` (or $TRACKRECORD_SERVER) submit, submissions, finalize and status ask
that server's API instead; its answers decode into the same dataclasses, so the output is
the same (scores at the boards' precision: 6 significant digits)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from trackrecord.cli import jobs_cli
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
from trackrecord.errors import Conflict, InvalidSubmission, NotFound
from trackrecord.service import FinalizePreview, Service, SubmissionView
from trackrecord.service.path import start_note
from trackrecord.service.render import (
    finalize_rows,
    num,
    preview_rows,
    project_rows,
    status_rows,
    submit_rows,
)
from trackrecord.settings import Settings
from trackrecord.store.migrate import upgrade

if TYPE_CHECKING:
    from trackrecord.client import Learner


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
    with _service(home) as svc:
        if note := start_note(svc, svc.local_user_id(), project_id):
            err_console.print(note, highlight=False)  # nothing is locked: say why, go ahead
        with err_console.status(f"Preparing {project_id}..."):
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
    file: Path | None = typer.Argument(
        None, help="Submission file: CSV (optionally gzipped) or Parquet (or give --code)."
    ),
    code: Path | None = typer.Option(
        None,
        "--code",
        help="Instead of a file: a Python script (.py) or notebook (.ipynb) to run in the "
        "sandbox; it reads input/ and writes output/submission.csv, which is scored.",
    ),
    wait: bool = typer.Option(
        False, "--wait", help="With --code: wait until the job ends and print its result."
    ),
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
    """Score a submission file and record it (after finalizing: as practice); or, with
    --code, run your code in the sandbox and score the file it writes."""
    if (file is None) == (code is None):
        raise typer.BadParameter("give a submission FILE or --code SCRIPT, one of them")
    if wait and code is None:
        raise typer.BadParameter("--wait goes with --code", param_hint="--wait")
    if code is not None:
        view = jobs_cli.submit_code(project_id, code, note, server, wait, json, home)
        jobs_cli.show_submitted(view, wait, json, server_of(home, server))
        return
    assert file is not None
    settings = settings_from(home, server=server)
    if settings.server:
        from trackrecord.client import remote_submit_rows, submit_to_server

        answer = submit_to_server(settings.server, project_id, file, home=settings.home, note=note)
        if json:
            print_json(answer)
        else:
            kind = " as practice" if answer.get("practice") else ""
            title = f"Scored {file.name}{kind} on {settings.server}"
            _print_rows(title, remote_submit_rows(answer))
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
        kind = " as practice" if result.practice else ""
        _print_rows(f"Scored {file.name}{kind}", submit_rows(result))


def _status_cell(v: SubmissionView) -> str:
    return f"{v.status} (practice)" if v.practice else v.status


def submissions(
    project_id: str = typer.Argument(..., metavar="ID"),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """List your submissions to a project, oldest first (#: the number within the project)."""
    with learner_for(home, server) as who:
        views = who.submissions(project_id)
    if json:
        print_json(views)
        return
    table = Table("#", "when (UTC)", "file", "status", "public", "private", "picked")
    for v in views:
        table.add_row(
            str(v.number),
            f"{v.created_at:%Y-%m-%d %H:%M}",
            v.filename,
            _status_cell(v),
            num(v.public_score),
            num(v.private_score),
            "yes" if v.picked else "",
        )
    console.print(table)
    for v in views:  # below the table, whole: a table cell would cut the reason short
        for problem in v.problems:
            console.print(f"#{v.number} {v.status}: {problem}", highlight=False, markup=False)
    if not views:
        console.print(f"No submissions to {project_id} yet.")


def interactive() -> bool:
    """Whether a person can answer a question on stdin (tests replace this)."""
    return sys.stdin.isatty()


def _print_reference(project_id: str, code: str | None) -> None:
    if code is None:
        return
    console.print(f"\n[bold]Reference pipeline of {project_id}[/] (compare with your step 3):")
    console.print(code, markup=False, highlight=False, end="" if code.endswith("\n") else "\n")


def _confirmed(project_id: str, preview: FinalizePreview, yes: bool, json: bool) -> bool:
    """Ask before finalizing (it happens once); refuse without a terminal or --yes."""
    if yes:
        return True
    if not interactive():
        raise Conflict(
            f"finalizing {project_id} is final and there is no terminal to confirm it: "
            f"run `trackrecord finalize {project_id} --yes` (see what it would judge with "
            "--dry-run)"
        )
    if json:
        print_json(preview)
    else:
        _print_rows(f"Finalize {project_id}?", preview_rows(preview))
    return typer.confirm(
        "Finalize now? The private score and medal are final", default=False, err=True
    )


def finalize(
    project_id: str = typer.Argument(..., metavar="ID"),
    pick: list[int] | None = typer.Option(
        None, "--pick", help="A submission number (#) to pick (repeat; default: best public)."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Finalize without asking."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Only show what would be judged; change nothing."
    ),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Show what would be judged, ask, then reveal the private score and medal (once)."""
    with learner_for(home, server) as who:
        preview = who.finalize_preview(project_id, pick or ())
        if dry_run:
            print_json(preview) if json else _print_rows(
                f"Finalizing {project_id} would judge", preview_rows(preview)
            )
            return
        if not _confirmed(project_id, preview, yes, json):
            err_console.print(f"Not finalized: nothing about {project_id} changed.")
            return
        result = who.finalize(project_id, pick or ())
    if json:
        print_json(result)
        return
    _print_rows(f"Finalized {project_id}", finalize_rows(result))
    _print_reference(project_id, result.reference_code)


def _project_status(project_id: str, code: bool, json: bool, who: Learner) -> None:
    if code:
        result = who.results(project_id)
        if result.reference_code is None:
            raise NotFound(f"{project_id} ships no reference code")
        typer.echo(result.reference_code, nl=not result.reference_code.endswith("\n"))
        return
    report = who.project_report(project_id)
    if json:
        print_json(report)
        return
    _print_rows(report.project.title, project_rows(report))
    if report.result is not None:
        _print_reference(project_id, report.result.reference_code)


def status(
    project_id: str | None = typer.Argument(
        None, metavar="[ID]", help="One project: its estimate, or its result once finalized."
    ),
    code: bool = typer.Option(
        False, "--code", help="With ID, once finalized: print only the reference code."
    ),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Your projects, medals, best scores and streak; or one project (ID)."""
    if code and project_id is None:
        raise typer.BadParameter(
            "needs a project: `trackrecord status ID --code`", param_hint="--code"
        )
    with learner_for(home, server) as who:
        if project_id is not None:
            _project_status(project_id, code, json, who)
            return
        report, estimates = who.status()
    if json:
        print_json({**asdict(report), "skills": [asdict(e) for e in estimates]})
        return
    _print_rows("Your track record", status_rows(report))
    if report.projects:
        table = Table("project", "state", "submissions", "best public", "private", "medal")
        for p in report.projects:
            count = (
                f"{p.submissions} (+{p.practice} practice)" if p.practice else str(p.submissions)
            )
            table.add_row(p.id, p.state, count, num(p.best_public),
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


def server_of(home: Path | None, server: str | None) -> str | None:
    return settings_from(home, server=server).server


def register(app: typer.Typer) -> None:
    app.command("jobs")(handle_errors(jobs_cli.jobs))
    for command in (start, submit, submissions, finalize, status):
        app.command(command.__name__)(handle_errors(command))
    app.add_typer(db_app, name="db")
