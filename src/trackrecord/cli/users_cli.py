"""The users area: `users create | list | set-role | disable | enable`, on this machine's
database (the hosted server's operator runs them where the server runs).

Signing up on a page never makes an admin: the first admin is created here, with
`trackrecord users create NAME --role admin`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from trackrecord.cli.common import (
    HomeOption,
    JsonOption,
    console,
    handle_errors,
    print_json,
    settings_from,
)

users_app = typer.Typer(
    help="Accounts of a hosted server (on this machine's database).", no_args_is_help=True
)
ROLE_HELP = "admin, host or learner"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        text = sys.stdin.readline().rstrip("\r\n")
        if not text:
            raise typer.BadParameter("no password on standard input", param_hint="--password-stdin")
        return text
    value: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return value


def _service(home: Path | None) -> Any:
    from trackrecord.service import Service

    return Service(settings_from(home))


@users_app.command("create")
@handle_errors
def users_create(
    username: str = typer.Argument(..., metavar="NAME"),
    role: str = typer.Option("learner", "--role", help=ROLE_HELP),
    display_name: str | None = typer.Option(None, "--display-name"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Create an account with any role: how a server gets its first admin."""
    from trackrecord.web.accounts import create_user

    password = _read_password(password_stdin)
    with _service(home) as svc, svc.session(write_lock=True) as s:
        made = create_user(s, username, password, role=role, display_name=display_name)
    if json:
        print_json(made.to_dict())
    else:
        console.print(f"created {made.role} {made.username}", highlight=False)


@users_app.command("list")
@handle_errors
def users_list(json: bool = JsonOption, home: Path | None = HomeOption) -> None:
    """Every account with its role and state (the personal-mode user aside)."""
    from trackrecord.web.accounts import list_users

    with _service(home) as svc, svc.session() as s:
        rows = [u.to_dict() for u in list_users(s)]
    if json:
        print_json(rows)
        return
    table = Table("id", "username", "role", "state", "created", "last sign-in")
    for u in rows:
        table.add_row(
            str(u["id"]),
            str(u["username"]),
            str(u["role"]),
            "active" if u["active"] else "disabled",
            str(u["created_at"])[:16],
            str(u["last_login_at"] or "-")[:16],
        )
    console.print(table)


@users_app.command("set-role")
@handle_errors
def users_set_role(
    username: str = typer.Argument(..., metavar="NAME"),
    role: str = typer.Argument(..., metavar="ROLE", help=ROLE_HELP),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Give an account another role (takes effect on its next request; API tokens within
    2 seconds on other server processes)."""
    from trackrecord.web.accounts import set_role

    with _service(home) as svc, svc.session(write_lock=True) as s:
        changed = set_role(s, username, role)
    if json:
        print_json(changed.to_dict())
    else:
        console.print(f"{changed.username} is now {changed.role}", highlight=False)


def _set_active(username: str, active: bool, json: bool, home: Path | None) -> None:
    from trackrecord.web.accounts import set_active

    with _service(home) as svc, svc.session(write_lock=True) as s:
        changed = set_active(s, username, active)
    if json:
        print_json({**changed.to_dict(), "active": active})
    elif active:
        console.print(f"{changed.username} may sign in again", highlight=False)
    else:
        console.print(
            f"disabled {changed.username}: signed out everywhere, API tokens refused",
            highlight=False,
        )


@users_app.command("disable")
@handle_errors
def users_disable(
    username: str = typer.Argument(..., metavar="NAME"),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Disable an account: its sessions end at once, it cannot sign in, its tokens are
    refused. Nothing it submitted is deleted."""
    _set_active(username, False, json, home)


@users_app.command("enable")
@handle_errors
def users_enable(
    username: str = typer.Argument(..., metavar="NAME"),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Let a disabled account sign in again."""
    _set_active(username, True, json, home)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
