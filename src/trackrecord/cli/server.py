"""The server area: `serve`, `login`, and `token create | list | revoke`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

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
from trackrecord.errors import NotFound

token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
ServerOption = typer.Option(
    None,
    "--server",
    help="A trackrecord server URL (default: $TRACKRECORD_SERVER; none: this machine's database).",
)


@handle_errors
def serve(
    hosted: bool = typer.Option(False, "--hosted", help="Multi-user mode: accounts, hosts."),
    host: str | None = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port (default 8765)."),
    workers: int | None = typer.Option(
        None, "--workers", help="Server processes on the one port (default 1).", min=1
    ),
    open_signup: bool = typer.Option(
        False, "--open-signup", help="Hosted: anyone may sign up (default: invite only)."
    ),
    trusted_proxies: str | None = typer.Option(
        None,
        "--trusted-proxies",
        help="Reverse proxies (addresses or networks, comma-separated) whose "
        "X-Forwarded-For/-Proto are believed (default: none).",
    ),
    projects: Path | None = typer.Option(
        None,
        "--projects",
        help="A folder of project folders to add to the catalog "
        "(default: $TRACKRECORD_PROJECTS_DIR; docs/catalog.md).",
        file_okay=False,
    ),
    home: Path | None = HomeOption,
) -> None:
    """Start the web app: personal (this computer only, no login) or --hosted."""
    import os

    import uvicorn

    from trackrecord.secret import secret_key
    from trackrecord.settings import to_environment
    from trackrecord.store.migrate import upgrade
    from trackrecord.web.app import app_from_environment, create_app

    proxies = _parse_proxies(trusted_proxies)
    settings = settings_from(
        home,
        hosted=hosted or None,
        host=host,
        port=port,
        workers=workers,
        open_signup=open_signup or None,
        trusted_proxies=proxies,
        projects_dir=projects,
    )
    for line in add_projects(settings):  # a broken folder stops here, every problem named
        err_console.print(line, highlight=False)
    revision = upgrade(settings)  # once, before any worker starts
    err_console.print(f"database at revision {revision}", highlight=False)
    mode = "hosted" if settings.hosted else "personal (answers this computer only)"
    err_console.print(
        f"trackrecord {mode} on http://{settings.host}:{settings.port}/"
        + (f" ({settings.workers} worker processes)" if settings.workers > 1 else ""),
        highlight=False,
    )
    for line in startup_notes(settings):
        err_console.print(line, highlight=False)
    # The app reads proxy headers itself, from the configured proxies only (uvicorn's own
    # default would believe any X-Forwarded-For sent from 127.0.0.1).
    options: dict[str, Any] = dict(
        host=settings.host, port=settings.port, proxy_headers=False, log_level="info",
        server_header=False,
    )  # fmt: skip
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    if settings.rate_limit_url is None:
        err_console.print(
            "note: rate limits are counted by each worker process; set "
            "TRACKRECORD_RATE_LIMIT_URL (Redis) to share them",
            highlight=False,
        )
    secret_key(settings)  # generated once here (if not configured), read by every worker
    os.environ.update(to_environment(settings))
    target = f"{app_from_environment.__module__}:{app_from_environment.__name__}"
    uvicorn.run(target, factory=True, workers=settings.workers, **options)


def add_projects(settings: Any) -> list[str]:
    """Add the host's project folders (settings.projects_dir) to the catalog, checked
    before the server starts; what to say about them."""
    if settings.projects_dir is None:
        return []
    from trackrecord.catalog.registry import add_projects_dir
    from trackrecord.service.projects import PROJECTS_STORED

    stored = settings.home / PROJECTS_STORED
    ids = add_projects_dir(settings.projects_dir, stored=stored)
    listed = ", ".join(ids) if ids else "none"
    return [
        f"{len(ids)} project(s) from {settings.projects_dir}: {listed} "
        f"(numbers measured on first build, kept in {stored})"
    ]


def _parse_proxies(text: str | None) -> str | None:
    if text is None:
        return None
    from trackrecord.settings import SETTINGS

    parse = next(s.parse for s in SETTINGS if s.name == "trusted_proxies")
    try:
        value: str | None = parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--trusted-proxies") from None
    return value


def _has_admin(settings: Any) -> bool:
    from sqlalchemy import select

    from trackrecord.store.db import make_engine
    from trackrecord.store.models import User

    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            query = select(User.id).where(User.role == "admin", User.password_hash.is_not(None))
            return conn.execute(query.limit(1)).first() is not None
    finally:
        engine.dispose()


def startup_notes(settings: Any) -> list[str]:
    """What a host should know when the server starts: who may sign up, whose proxy
    headers are believed, and how to make the first admin when there is none."""
    if not settings.hosted:
        return []
    if settings.open_signup and not settings.invite_code:
        signup = "sign-up: OPEN to anyone who can reach this server (--open-signup)"
    else:
        signup = (
            "sign-up: by invite only (invite links on /host"
            + (", or the code in TRACKRECORD_INVITE_CODE" if settings.invite_code else "")
            + "); --open-signup opens it"
        )
    proxies = (
        f"proxy headers believed from: {settings.trusted_proxies}"
        if settings.trusted_proxies
        else "proxy headers ignored (no --trusted-proxies): clients are the peer addresses"
    )
    notes = [signup, proxies]
    if not _has_admin(settings):
        notes.append("no admin yet: create one with `trackrecord users create NAME --role admin`")
    return notes


@handle_errors
def login(
    server: str | None = ServerOption,
    username: str | None = typer.Option(None, "--username", "-u"),
    home: Path | None = HomeOption,
) -> None:
    """Sign in to a server and store an API token in HOME/credentials.json (mode 0600)."""
    from trackrecord import client

    settings = settings_from(home)
    url = server or settings.server
    if not url:
        raise typer.BadParameter("give --server URL (or set TRACKRECORD_SERVER)")
    name = username or typer.prompt("username")
    password = typer.prompt("password", hide_input=True)
    path = client.login(url, name, password, home=settings.home)
    console.print(f"signed in to {client.normalize(url)} as {name}; token stored in {path}")


def _local_user_id(session: Any, username: str) -> int:
    from sqlalchemy import select

    from trackrecord.store.models import User

    uid = session.scalar(select(User.id).where(User.username == username))
    if uid is None:
        raise NotFound(f"no user {username!r} in this server's database")
    return int(uid)


@token_app.command("create")
@handle_errors
def token_create(
    user: str | None = typer.Option(None, "--user", help="Local database: the token's owner."),
    name: str = typer.Option("cli", "--name", help="A name to tell tokens apart."),
    days: int | None = typer.Option(None, "--expires-days", min=1, help="Expire after N days."),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Create a token: in this machine's database (--user) or on a server (--server)."""
    settings = settings_from(home)
    if server:
        from trackrecord import client

        username = user or typer.prompt("username")
        password = typer.prompt("password", hide_input=True)
        with client.Client(server) as c:
            answer = c.create_token(username, password, name)
        plain = answer["token"]
    else:
        if not user:
            raise typer.BadParameter("give --user NAME (or --server URL)")
        from trackrecord.service import Service
        from trackrecord.store.models import utcnow
        from trackrecord.web.accounts import new_token

        with Service(settings) as svc, svc.session() as s:
            expires = utcnow() + timedelta(days=days) if days else None
            plain, _ = new_token(s, _local_user_id(s, user), name, expires)
    if json:
        print_json({"token": plain})
    else:
        console.print(f"token (shown once): {plain}", highlight=False)


def _tokens_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "name", "prefix", "created", "last used", "expires", "state")
    for t in rows:
        state = "revoked" if t.get("revoked_at") else "active"
        table.add_row(
            str(t["id"]),
            t["name"],
            t["prefix"],
            str(t["created_at"])[:16],
            str(t.get("last_used_at") or "-")[:16],
            str(t.get("expires_at") or "-")[:16],
            state,
        )
    return table


@token_app.command("list")
@handle_errors
def token_list(
    user: str | None = typer.Option(None, "--user", help="Local database: whose tokens."),
    server: str | None = ServerOption,
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """List tokens (never their values)."""
    settings = settings_from(home)
    if server:
        from trackrecord import client

        with client.connect(server, home=settings.home) as c:
            rows = c.tokens()
    else:
        if not user:
            raise typer.BadParameter("give --user NAME (or --server URL)")
        from trackrecord.service import Service
        from trackrecord.web.accounts import list_tokens

        with Service(settings) as svc, svc.session() as s:
            rows = [t.to_dict() for t in list_tokens(s, _local_user_id(s, user))]
    if json:
        print_json(rows)
    else:
        console.print(_tokens_table(rows))


@token_app.command("revoke")
@handle_errors
def token_revoke(
    token_id: int = typer.Argument(..., metavar="TOKEN_ID"),
    server: str | None = ServerOption,
    home: Path | None = HomeOption,
) -> None:
    """Revoke a token by id (it is kept, marked revoked, and refused from now on)."""
    settings = settings_from(home)
    if server:
        from trackrecord import client

        with client.connect(server, home=settings.home) as c:
            c.revoke_token(token_id)
    else:
        from trackrecord.service import Service
        from trackrecord.store.accounts import revoke_token

        with Service(settings) as svc, svc.session() as s:
            revoke_token(s, token_id)
    console.print(f"revoked token {token_id}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("login")(login)
    app.add_typer(token_app, name="token")
