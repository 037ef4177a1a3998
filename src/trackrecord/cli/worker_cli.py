"""The worker area: `trackrecord worker`, a Celery worker for code-submission jobs."""

from __future__ import annotations

from pathlib import Path

import typer

from trackrecord.cli.common import HomeOption, err_console, handle_errors, settings_from
from trackrecord.errors import ConfigError


@handle_errors
def worker(
    concurrency: int | None = typer.Option(
        None, "--concurrency", min=1, help="Jobs this worker runs at once (default: its CPUs)."
    ),
    broker: str | None = typer.Option(
        None, "--broker", help="Broker URL, e.g. redis://HOST:6379/0 ($TRACKRECORD_BROKER_URL)."
    ),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        help="The server's database ($TRACKRECORD_DATABASE_URL; default: SQLite under HOME).",
    ),
    name: str | None = typer.Option(
        None, "--name", help="Recorded on the jobs this worker runs (default: HOST-PID)."
    ),
    home: Path | None = HomeOption,
) -> None:
    """Run code-submission jobs from the broker's queue until stopped (Ctrl-C or SIGTERM
    finish the running jobs first). Also puts back jobs whose worker died (expired lease)."""
    try:
        from trackrecord.jobs.celery_app import NO_BROKER, broker_display, run_worker
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in {"celery", "kombu", "redis"}:
            raise
        raise ConfigError(
            "`trackrecord worker` needs Celery: pip install 'trackrecord[workers]'"
        ) from None
    settings = settings_from(home, broker_url=broker, database_url=database_url)
    if not settings.broker_url:
        raise ConfigError(NO_BROKER)
    err_console.print(
        f"worker {name or '(HOST-PID)'}: jobs from queue {settings.job_queue!r} at "
        f"{broker_display(settings)}, lease {settings.job_lease_seconds} s",
        highlight=False,
        markup=False,
    )
    if settings.job_executor != "celery":
        err_console.print(
            "note: the server must run with TRACKRECORD_JOB_EXECUTOR=celery (and this broker) "
            "to send its jobs here",
            highlight=False,
        )
    raise typer.Exit(run_worker(settings, name=name, concurrency=concurrency))


def _group() -> None:
    """Learn machine learning by shipping real, graded projects."""


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    if app.registered_callback is None:
        # `trackrecord worker` loads this area alone; with a single command Typer would make
        # it the root (`trackrecord --broker URL`). A callback keeps it a subcommand.
        app.callback()(_group)
