"""`trackrecord fetch --server URL`: bring a hosted server's credentials for you into your
own ledger (after `trackrecord login --server URL`), so `export`, `verify` and `publish`
carry them."""

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


def fetch(
    server: str | None = typer.Option(
        None, "--server", help="The hosted server's URL (default: $TRACKRECORD_SERVER)."
    ),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Add the host-verified credentials a server issued you to your ledger."""
    from trackrecord.cli import learner
    from trackrecord.ledger import fetch as F

    settings = settings_from(home)
    url = server or settings.server
    if not url:
        raise typer.BadParameter("give --server URL (or set TRACKRECORD_SERVER)")
    host = F.download(url, home=settings.home)
    with learner.open_service(settings) as svc:
        summary = F.store(svc, svc.local_user_id(), host)
    if json:
        print_json(summary.to_dict())
        return
    console.print(
        f"{summary.name} ({summary.issuer}): {len(summary.added)} new credential(s) added to "
        f"your ledger, {summary.known} already here.",
        highlight=False,
        markup=False,
    )
    if summary.revoked:
        console.print(
            f"{len(summary.revoked)} of them revoked by the host: `trackrecord verify` "
            "reports them.",
            highlight=False,
        )
    console.print("Next: `trackrecord export FILE`, `trackrecord publish OUTDIR`.")


def _group() -> None:
    pass


def register(app: typer.Typer) -> None:
    app.command("fetch")(handle_errors(fetch))
    if app.registered_callback is None:
        # `trackrecord fetch` loads this area alone; with a single command Typer would make
        # it the root (`trackrecord --server URL`). A callback keeps it a subcommand.
        app.callback()(_group)
