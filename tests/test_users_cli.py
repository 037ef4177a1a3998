"""`trackrecord users create | list | set-role | disable | enable` through the CLI runner,
and the admin it makes on a hosted server (issue 11, finding 5: no page makes an admin)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trackrecord.cli import app
from trackrecord.settings import Settings

from .conftest import FakeCatalog
from .test_web_support import PASSWORD, api_token, bearer, client_for, csrf, hosted

runner = CliRunner()


@pytest.fixture
def db_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI sees the same database as the test's server (SQLite or PostgreSQL)."""
    monkeypatch.setenv("TRACKRECORD_DATABASE_URL", settings.db_url)
    return settings


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_the_first_admin_is_made_on_the_command_line(
    db_env: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    code, out, err = run(
        "users", "create", "Ada", "--role", "admin", "--password-stdin", "--json",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out) | {"id": 0} == {
        "id": 0,
        "username": "ada",
        "display_name": None,
        "role": "admin",
    }
    with client_for(hosted(db_env), catalog, base_url="http://tr.example") as server:
        token = csrf(server, "/login")
        signed = server.post(
            "/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token}
        )
        assert signed.status_code == 200 and server.get("/host").status_code == 200
        assert server.get("/api/v1/host/challenges", headers=bearer(api_token(server, "ada")))


def test_the_password_is_prompted_twice_without_stdin(db_env: Settings) -> None:
    code, out, err = run("users", "create", "hal", "--role", "host", stdin=f"{PASSWORD}\n" * 2)
    assert code == 0, err
    assert "created host hal" in out and PASSWORD not in out


def test_list_set_role_disable_enable(db_env: Settings, catalog: FakeCatalog) -> None:
    for name in ("ada", "bob"):
        assert run("users", "create", name, "--password-stdin", stdin=PASSWORD)[0] == 0
    code, out, _ = run("users", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["username"], r["role"], r["active"]) for r in rows] == [
        ("ada", "learner", True),
        ("bob", "learner", True),
    ]
    assert run("users", "set-role", "bob", "host", "--json")[1].count('"host"') == 1
    with client_for(hosted(db_env), catalog, base_url="http://tr.example") as server:
        token = api_token(server, "bob")
        assert server.get("/api/v1/host/challenges", headers=bearer(token)).status_code == 200
        code, out, _ = run("users", "disable", "bob")
        assert code == 0 and "disabled bob" in out
        server.app.state.web.tokens.clear()  # type: ignore[attr-defined]  # TTL passed
        assert server.get("/api/v1/me", headers=bearer(token)).status_code == 401
        refused = server.post("/api/v1/tokens", json={"username": "bob", "password": PASSWORD})
        assert refused.status_code == 401
        assert run("users", "enable", "bob")[0] == 0
        assert server.get("/api/v1/me", headers=bearer(token)).status_code == 200
    text = run("users", "list")[1]
    assert "bob" in text and "host" in text and "active" in text


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("users", "create", "ada", "--role", "owner", "--password-stdin"), PASSWORD, "role"),
        (("users", "create", "ada", "--password-stdin"), "short", "at least 8"),
        (("users", "create", "A B", "--password-stdin"), PASSWORD, "lowercase"),
        (("users", "set-role", "nobody", "admin"), None, "no user 'nobody'"),
        (("users", "disable", "nobody"), None, "no user 'nobody'"),
    ],
)
def test_mistakes_are_user_errors(
    db_env: Settings, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    code, _, err = run(*args, stdin=stdin)
    assert code == 1 and message in err


def test_a_taken_name_is_refused(db_env: Settings) -> None:
    assert run("users", "create", "ada", "--password-stdin", stdin=PASSWORD)[0] == 0
    code, _, err = run("users", "create", "ada", "--password-stdin", stdin=PASSWORD)
    assert code == 1 and "taken" in err
