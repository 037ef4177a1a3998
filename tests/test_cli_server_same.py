"""The learner CLI with --server prints what it prints locally: the same files submitted here
and to a hosted server (in-process, through the TestClient's transport), then catalog,
status, status ID, submissions, finalize (dry run, picks, the reveal), practice and next,
as text and as JSON (scores at the boards' precision)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from trackrecord import client
from trackrecord.bundle import Bundle
from trackrecord.cli import app as cli_app
from trackrecord.settings import Settings
from trackrecord.web.views.api_schema import round_scores

from .conftest import FakeCatalog
from .test_web_support import api_token, client_for, hosted, signup, split_submission

URL = "http://tr.example"
WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
# Differ by nature between two databases and two moments, not by face.
VOLATILE = {"id", "submission_id", "created_at", "last_submission_at", "finalized_at", "last_seen"}
WIDENING = {"low", "high"}  # a skill's interval widens with the seconds since it was seen


@dataclass
class Both:
    """Runs one command locally (the toy catalog in `home`) and against the server."""

    client_home: Path
    runner: CliRunner

    def local(self, *args: str) -> str:
        done = self.runner.invoke(cli_app, list(args))
        assert done.exit_code == 0, done.output
        return done.output

    def remote(self, *args: str) -> str:
        more = ["--server", URL, "--home", str(self.client_home)]
        done = self.runner.invoke(cli_app, [*args, *more])
        assert done.exit_code == 0, done.output
        return done.output

    def same_text(self, *args: str) -> str:
        here, there = self.local(*args), self.remote(*args)
        assert WHEN.sub("<when>", there) == WHEN.sub("<when>", here), " ".join(args)
        return here

    def same_json(self, *args: str) -> Any:
        here = json.loads(self.local(*args, "--json"))
        there = json.loads(self.remote(*args, "--json"))
        assert _stable(there) == _stable(round_scores(here)), " ".join(args)
        return there


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: round(v, 4) if k in WIDENING else _stable(v)
            for k, v in value.items()
            if k not in VOLATILE
        }
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


@pytest.fixture
def both(
    settings: Settings,
    cli_catalog: FakeCatalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Both]:
    app_client: TestClient = client_for(hosted(settings), cli_catalog, base_url=URL)
    with app_client as tc:
        signup(tc, "ada")
        client_home = tmp_path / "client-home"
        client.store_token(client_home, URL, api_token(tc, "ada"), "ada")
        connect = client.connect

        def in_process(server: str, *, home: Path, transport: object = None) -> client.Client:
            return connect(server, home=home, transport=tc._transport)

        monkeypatch.setattr(client, "connect", in_process)
        yield Both(client_home, CliRunner())


def test_the_same_loop_prints_the_same_here_and_on_a_server(
    both: Both, tmp_path: Path, bundles: dict[str, Bundle]
) -> None:
    reg = bundles["toy-reg"]
    # public 1.1 clears the public gold line (1.2); private 2.5 is bronze (lines 3 / 2 / 1)
    a = split_submission(tmp_path / "a.csv", reg, 1.1, 2.5)
    b = split_submission(tmp_path / "b.csv", reg, 1.23456789, 1.5)
    for file in (a, b):
        here = both.local("submit", "toy-reg", str(file))
        there = both.remote("submit", "toy-reg", str(file))
        assert there.replace(f" on {URL}", "") == here

    catalog = both.same_text("catalog")
    assert "toy-reg" in catalog and "2 submission(s), best public 1.1" in catalog
    both.same_json("catalog")
    assert "Medal estimate" in both.same_text("status", "toy-reg")
    report = both.same_json("status", "toy-reg")
    assert report["project"]["thresholds"] == {"baseline": None, "reference": None, "gold": None}
    assert report["project"]["public_thresholds"]["gold"] == 1.2
    both.same_text("status")
    both.same_json("status")
    listed = both.same_text("submissions", "toy-reg")
    assert "1.23457" in listed and "1.23456789" not in listed
    assert both.same_json("submissions", "toy-reg")[1]["public_score"] == 1.23457

    assert "Would judge" in both.same_text("finalize", "toy-reg", "--pick", "2", "--dry-run")
    both.same_json("finalize", "toy-reg", "--pick", "2", "--dry-run")
    final = both.same_text("finalize", "toy-reg", "--pick", "2", "--yes")
    assert "silver" in final and "1st of 1 who finalized" in final

    c = split_submission(tmp_path / "c.csv", reg, 0.5, 0.5)
    practice = both.local("submit", "toy-reg", str(c))
    assert both.remote("submit", "toy-reg", str(c)).replace(f" on {URL}", "") == practice
    assert "practice never counts" in practice
    assert "(practice)" in both.same_text("submissions", "toy-reg")
    status = both.same_text("status")
    assert "(+1 practice)" in status
    revealed = both.same_json("status", "toy-reg")
    assert revealed["result"]["thresholds"] == {"baseline": 3.0, "reference": 2.0, "gold": 1.0}
    assert "Private lines" in both.same_text("status", "toy-reg")
    both.same_text("next")
    both.same_json("next")


def test_server_errors_read_like_local_ones(both: Both, tmp_path: Path) -> None:
    runner = both.runner
    args = ["--server", URL, "--home", str(both.client_home)]
    missing = runner.invoke(cli_app, ["status", "nope", *args])
    assert missing.exit_code == 1 and "nope" in missing.output
    early = runner.invoke(cli_app, ["finalize", "toy-reg", "--yes", *args])
    assert early.exit_code == 1 and "error:" in early.output
    stranger = runner.invoke(
        cli_app, ["status", "--server", URL, "--home", str(tmp_path / "nobody")]
    )
    assert stranger.exit_code == 1 and "trackrecord login --server" in stranger.output
