"""The HTTP client and the CLI against a real server: login stores a 0600 token,
submissions go through the API, server errors come back as typed exceptions."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trackrecord import client
from trackrecord.bundle import Bundle
from trackrecord.cli import app as cli_app
from trackrecord.errors import AuthenticationRequired, InvalidSubmission, NotFound
from trackrecord.settings import Settings
from trackrecord.web import create_app

from .conftest import FakeCatalog
from .test_web_support import (
    PASSWORD,
    PUBLIC_OFF,
    LiveServer,
    bad_submission,
    client_for,
    hosted,
    signup,
    split_submission,
)


@pytest.fixture
def live(settings: Settings, catalog: FakeCatalog):  # type: ignore[no-untyped-def]
    hosted_settings = hosted(settings)
    with client_for(hosted_settings, catalog, base_url="http://tr.example") as c:
        signup(c, "ada")
    with LiveServer(create_app(hosted_settings, catalog=catalog)) as server:
        yield server


def test_login_submit_and_errors(
    live: LiveServer, tmp_path: Path, bundles: dict[str, Bundle]
) -> None:
    home = tmp_path / "client-home"
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    with pytest.raises(AuthenticationRequired, match="trackrecord login"):
        client.submit_to_server(live.url, "toy-reg", good, home=home)
    with pytest.raises(AuthenticationRequired):
        client.login(live.url, "ada", "wrong-password", home=home)
    path = client.login(live.url, "ada", PASSWORD, home=home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["servers"][live.url]["username"] == "ada"
    result = client.submit_to_server(live.url, "toy-reg", good, home=home, note="from cli")
    assert abs(result["public_score"] - PUBLIC_OFF) < 1e-9
    with pytest.raises(InvalidSubmission) as info:
        client.submit_to_server(
            live.url, "toy-reg", bad_submission(tmp_path / "bad.csv"), home=home
        )
    assert info.value.problems and info.value.status == 422
    with client.connect(live.url, home=home) as c, pytest.raises(NotFound):
        c.leaderboard("nope")
    with client.connect(live.url, home=home) as c:
        assert c.me()["user"]["username"] == "ada"
        assert [s["note"] for s in c.submissions("toy-reg")] == ["from cli", None]
        assert c.leaderboard("toy-reg")["public"][0]["name"] == "ada"
        assert c.download("toy-reg", tmp_path / "d.zip").stat().st_size > 0


def test_cli_login_and_tokens(live: LiveServer, tmp_path: Path) -> None:
    home = tmp_path / "cli-home"
    runner = CliRunner()
    done = runner.invoke(
        cli_app, ["login", "--server", live.url, "--home", str(home)], input=f"ada\n{PASSWORD}\n"
    )
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE((home / "credentials.json").stat().st_mode) == 0o600
    listed = runner.invoke(
        cli_app, ["token", "list", "--server", live.url, "--home", str(home), "--json"]
    )
    assert listed.exit_code == 0, listed.output
    tokens = json.loads(listed.output)
    assert len(tokens) == 1 and "token_hash" not in tokens[0]
    revoked = runner.invoke(
        cli_app,
        ["token", "revoke", str(tokens[0]["id"]), "--server", live.url, "--home", str(home)],
    )
    assert revoked.exit_code == 0, revoked.output
    again = runner.invoke(cli_app, ["token", "list", "--server", live.url, "--home", str(home)])
    assert again.exit_code == 1 and "not valid" in again.output


def test_cli_local_token_create(
    settings: Settings, catalog: FakeCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosted_settings = hosted(settings)
    with client_for(hosted_settings, catalog, base_url="http://tr.example") as c:
        signup(c, "ada")
    monkeypatch.setenv("TRACKRECORD_DATABASE_URL", settings.db_url)
    made = CliRunner().invoke(
        cli_app,
        [
            "token",
            "create",
            "--user",
            "ada",
            "--name",
            "ci",
            "--json",
            "--home",
            str(settings.home),
        ],
    )
    assert made.exit_code == 0, made.output
    token = json.loads(made.output)["token"]
    with client_for(hosted_settings, catalog, base_url="http://tr.example") as c:
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_cli_submit_and_notebook_api_through_a_server(
    live: LiveServer,
    tmp_path: Path,
    bundles: dict[str, Bundle],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pandas as pd

    import trackrecord as tr

    home = tmp_path / "remote-home"
    client.login(live.url, "ada", PASSWORD, home=home)
    monkeypatch.setenv("TRACKRECORD_HOME", str(home))
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    runner = CliRunner()
    done = runner.invoke(cli_app, ["submit", "toy-reg", str(good), "--server", live.url, "--json"])
    assert done.exit_code == 0, done.output
    assert abs(json.loads(done.output)["public_score"] - PUBLIC_OFF) < 1e-9
    bad = runner.invoke(
        cli_app,
        ["submit", "toy-reg", str(bad_submission(tmp_path / "b.csv")), "--server", live.url],
    )
    assert bad.exit_code == 1 and "line" in bad.output
    assert not (home / "trackrecord.db").exists(), "a server submit must not touch local data"

    summary = tr.submit("toy-reg", pd.read_csv(good), server=live.url)
    assert abs(summary.result["public_score"] - PUBLIC_OFF) < 1e-9
    assert "public score" in repr(summary)
    train, test = tr.load("toy-reg", server=live.url)
    assert "y" in train.columns
    assert len(test) > 0 and "y" not in test.columns
    history = tr.submissions("toy-reg", server=live.url)
    assert list(history["status"]).count("scored") == 2
