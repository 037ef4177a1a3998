"""Code submissions on the command line: `trackrecord submit ID --code FILE [--wait]` (the
option lives on `submit`, in learner.py) and `trackrecord jobs [ID] [--cancel]`.

On the personal install a job runs on this machine: with --wait in this process (the
output is the job's result), without it in a background process (`submit` returns at once
with the job's number). With --server (or $TRACKRECORD_SERVER) the server's workers run
it and these commands ask its API; the answers decode into the same JobView.

`trackrecord jobs` on the personal install first sweeps the queue: a job whose worker died
is queued again (or failed, the second time), and a job waiting longer than a lease gets a
background run, so no job waits for ever.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    ServerOption,
    console,
    err_console,
    learner_for,
    print_json,
    settings_from,
)
from trackrecord.errors import TrackrecordError
from trackrecord.service.render import num

if TYPE_CHECKING:
    from trackrecord.jobs.executor import Executor
    from trackrecord.jobs.runner import Sandbox
    from trackrecord.service import Service
    from trackrecord.service.jobs import JobView
    from trackrecord.settings import Settings

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def job_sandbox() -> Sandbox | None:
    """The sandbox of runs in this process (None: bubblewrap; tests replace this)."""
    return None


def background_executor(settings: Settings) -> Executor:
    """Where a job goes when the CLI does not wait for it (tests replace this)."""
    from trackrecord.jobs.executor import executor_for

    return executor_for(settings, detached=True)


def _worker_name() -> str:
    return f"cli-{socket.gethostname()}-{os.getpid()}"


def _follow(svc: Service, user_id: int, job_id: int) -> JobView:
    """The job once it has ended (another process may be running it)."""
    from trackrecord.service.jobs import get_job

    while not (view := get_job(svc, user_id, job_id)).finished:
        time.sleep(POLL_SECONDS)
    return view


def run_here(svc: Service, project_id: str, code: Path, note: str | None, wait: bool) -> JobView:
    """Queue the code on the local data directory; run it here (wait) or in the background."""
    from trackrecord.jobs.executor import executor_for
    from trackrecord.jobs.runner import run_job
    from trackrecord.service.jobs import submit_code

    me = svc.local_user_id()
    if not wait:
        executor = background_executor(svc.settings)
        try:
            return submit_code(svc, me, project_id, code, note=note, executor=executor)
        finally:
            executor.close()
    view = submit_code(svc, me, project_id, code, note=note)
    with err_console.status(f"Running {code.name} in the sandbox (job {view.id})..."):
        if svc.settings.job_executor == "local":
            run_job(svc, view.id, _worker_name(), sandbox=job_sandbox())
        else:
            executor = executor_for(svc.settings)
            try:
                executor.submit(view.id)
            finally:
                executor.close()
        return _follow(svc, me, view.id)


def _progress(job: dict[str, object]) -> None:
    where = f" (#{job['position']} in line)" if job.get("position") else ""
    err_console.print(f"job {job['id']}: {job['state']}{where}", highlight=False)


def submit_code(
    project_id: str, code: Path, note: str | None, server: str | None, wait: bool, json: bool,
    home: Path | None,
) -> JobView:  # fmt: skip
    """What `submit ID --code FILE` does, here or on a server."""
    from trackrecord.cli import learner
    from trackrecord.service.jobs import JobView

    settings = settings_from(home, server=server)
    if settings.server:
        from trackrecord.client import decode, submit_code_to_server

        answer = submit_code_to_server(
            settings.server, project_id, code, home=settings.home, note=note, wait=wait,
            on_change=None if json else _progress,
        )  # fmt: skip
        return decode(JobView, answer)
    with learner.open_service(settings) as svc:
        return run_here(svc, project_id, code, note, wait)


def show_submitted(view: JobView, wait: bool, json: bool, server: str | None) -> None:
    """The job after `submit --code`: queued (how to follow it), or its result (--wait)."""
    follow = f"trackrecord jobs {view.id}" + (f" --server {server}" if server else "")
    if json:
        print_json(view)
    elif not wait:
        place = f", #{view.position} in line" if view.position else ""
        console.print(
            f"Job {view.id} queued for {view.project_id}{place}: {view.code_filename} runs in "
            f"the sandbox{' on ' + server if server else ' in the background'}. Follow it "
            f"with `{follow}`.",
            highlight=False,
        )
    else:
        show_job(view)
    if wait and view.state == "failed":
        raise typer.Exit(1)


def state_cell(v: JobView) -> str:
    if v.state == "queued" and v.position:
        return f"queued (#{v.position} in line)"
    if v.state == "failed" and v.failure:
        return f"failed ({v.failure})"
    return v.state


def _when(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment is not None else "-"


def job_rows(v: JobView) -> list[tuple[str, str]]:
    """One job, as label and value rows."""
    rows = [
        ("job", str(v.id)), ("project", v.project_id), ("state", state_cell(v)),
        ("code", f"{v.code_filename}, sha256 {v.code_sha256}"),
        ("submitted", _when(v.created_at)),
    ]  # fmt: skip
    if v.started_at is not None:
        rows.append(("started", _when(v.started_at)))
    if v.finished_at is not None:
        rows.append(("ended", _when(v.finished_at)))
    if v.attempts > 1:
        rows.append(("runs", f"{v.attempts} (a worker was lost, so it ran again)"))
    if v.wall_seconds is not None:
        rows.append(("time", f"{v.wall_seconds:.1f} s ({num(v.cpu_seconds)} s of CPU)"))
    if v.submission_number is not None:
        rows.append(("submission", f"#{v.submission_number}, public {num(v.public_score)}"))
    if v.state == "scored":
        rows.append(("origin", v.origin))
    if v.reason:
        rows.append(("reason", v.reason))
    if v.environment:
        rows.append(("environment", _environment(v.environment)))
    return rows


def _environment(environment: dict[str, str]) -> str:
    """Python's version and how many packages (the whole list: --json, or the credential)."""
    packages = [k for k in environment if k not in ("python", "implementation")]
    if len(packages) <= 4:
        from trackrecord.jobs.runner import describe_environment

        return describe_environment(environment) or ""
    return (
        f"python {environment.get('python', '?')} and {len(packages)} packages (--json lists them)"
    )


def show_job(v: JobView) -> None:
    table = Table(title=f"Job {v.id}", show_header=False, title_justify="left", box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in job_rows(v):
        table.add_row(key, value)
    console.print(table)
    if v.state == "failed" and v.stderr_tail:
        console.print("\n[bold]Last lines of its error output[/]:")
        console.print(v.stderr_tail, markup=False, highlight=False, end="")
    if v.state == "scored":
        console.print(f"See where it stands: `trackrecord status {v.project_id}`.")


def _table(views: list[JobView]) -> None:
    table = Table("job", "project", "submitted (UTC)", "code", "state", "#", "public")
    for v in views:
        table.add_row(
            str(v.id), v.project_id, f"{v.created_at:%Y-%m-%d %H:%M}", v.code_filename,
            state_cell(v), str(v.submission_number or ""), num(v.public_score),
        )  # fmt: skip
    console.print(table)
    for v in views:  # whole, below the table: a cell would cut the reason short
        if v.state == "failed" and v.reason:
            console.print(f"job {v.id} failed: {v.reason}", highlight=False, markup=False)


def sweep_here(svc: Service) -> None:
    """Reap expired leases and run waiting jobs in the background (personal install)."""
    from trackrecord.jobs.executor import sweep

    try:
        executor = background_executor(svc.settings)
        try:
            sweep(svc.engine, executor, queued_for=svc.settings.job_lease_seconds)
        finally:
            executor.close()
    except (TrackrecordError, OSError) as exc:  # a broker away: list what there is anyway
        log.warning("could not sweep the job queue: %s", exc)


def jobs(
    target: str | None = typer.Argument(
        None, metavar="[ID]", help="A project id: its jobs. A job number: that job in full."
    ),
    cancel: bool = typer.Option(
        False, "--cancel", help="With a job number: cancel that job (only while it is queued)."
    ),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Your code submissions (newest first) with their state, queue place and result."""
    from trackrecord.client import LocalLearner

    job_id = int(target) if target is not None and target.isdigit() else None
    if cancel and job_id is None:
        raise typer.BadParameter("needs a job number: `trackrecord jobs N --cancel`")
    with learner_for(home, server) as who:
        if isinstance(who, LocalLearner):
            sweep_here(who.svc)
        if job_id is not None:
            view = who.cancel_job(job_id) if cancel else who.job(job_id)
            print_json(view) if json else show_job(view)
            return
        views = who.jobs(target)
    if json:
        print_json(views)
    elif views:
        _table(views)
    else:
        console.print(f"No code submissions{' to ' + target if target else ''} yet.")
