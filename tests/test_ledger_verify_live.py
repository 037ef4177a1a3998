"""`verify` reads each status list live from its URL: a credential the host revoked after the
export shows as revoked; `--offline` (or no fetcher) uses the export's lists and says so; an
unreachable URL falls back to the export's list and says so on the record's line; a list
served there that does not verify (another key, another issuer) fails the record."""

# ruff: noqa: F811 (pytest fixtures imported from test_ledger_server)
from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import FakeCatalog
from tests.test_ledger_server import (  # noqa: F401 (fixtures)
    DID,
    URL,
    Host,
    host,
    learner_service,
    server,
)
from trackrecord import client
from trackrecord.cli import app as cli_app
from trackrecord.cli import ledger_cli
from trackrecord.ledger import fetch as F
from trackrecord.ledger import read_export, statuslist, vcjwt, verify_export
from trackrecord.ledger.export import write_export
from trackrecord.ledger.keys import Issuer, KeyStore
from trackrecord.ledger.statusfetch import StatusFetcher, StatusUnreachable

runner = CliRunner()
LIST = f"{URL}/status/0"


def served_by(server: TestClient) -> StatusFetcher:
    """A StatusFetcher over the in-process server, as the CLI's is over httpx."""

    def fetch(url: str) -> str:
        response = server.get(url)
        if response.is_error:
            raise StatusUnreachable(f"HTTP {response.status_code}")
        return str(response.text)

    return fetch


def always(body: str) -> StatusFetcher:
    return lambda url: body


def down(url: str) -> str:
    raise StatusUnreachable("connection refused")


def exported(host: Host, server: TestClient, tmp: Path, catalog: FakeCatalog) -> Path:
    """The learner's export after fetching the host's credential (not revoked yet)."""
    with learner_service(tmp, catalog) as mine:
        home = mine.settings.home
        client.store_token(home, URL, host.bob, "bob")
        F.store(mine, mine.local_user_id(), F.download(URL, home=home, transport=server._transport))
        return write_export(mine.export_ledger(mine.local_user_id()), tmp / "ledger.json")


@pytest.fixture
def old_export(host: Host, server: TestClient, tmp_path: Path, catalog: FakeCatalog) -> Path:
    return exported(host, server, tmp_path, catalog)


def test_a_credential_revoked_after_the_export_shows_live_not_offline(
    host: Host, server: TestClient, old_export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = read_export(old_export)
    before = verify_export(ledger, fetch_status=served_by(server))
    assert before.ok, before.first_failure
    assert before.records[0].status == f"status live from {LIST}"

    assert host.revoke(host.only()["id"], "answer key leaked").status_code == 200
    live = verify_export(ledger, fetch_status=served_by(server))
    assert not live.ok
    (check,) = live.records
    assert check.reason.startswith(f"revoked by its issuer (status list {LIST}, index ")
    assert check.status == f"status live from {LIST}"
    offline = verify_export(ledger)  # the list the file carries: not revoked then
    assert offline.ok and offline.records[0].status == "status as of the export"

    monkeypatch.setattr(ledger_cli, "_fetch_status", served_by(server))
    result = runner.invoke(cli_app, ["verify", str(old_export)])
    assert result.exit_code == 1, result.output
    assert f"revoked by its issuer (status list {LIST}" in result.stdout
    assert f"; status live from {LIST}" in result.stdout
    calm = runner.invoke(cli_app, ["verify", str(old_export), "--offline"])
    assert calm.exit_code == 0, calm.output
    assert "[host-verified]: verified; status as of the export" in calm.stdout
    data = json.loads(runner.invoke(cli_app, ["verify", str(old_export), "--json"]).stdout)
    assert data["ok"] is False and data["records"][0]["status"] == f"status live from {LIST}"


def test_an_unreachable_list_falls_back_to_the_export_and_says_so(
    host: Host, old_export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = read_export(old_export)
    assert host.revoke(host.only()["id"], "cheated").status_code == 200
    report = verify_export(ledger, fetch_status=down)
    assert report.ok  # the export's list, from before the revocation
    note = f"status as of the export: {LIST} unreachable (connection refused)"
    assert report.records[0].status == note

    monkeypatch.setattr(ledger_cli, "_fetch_status", down)
    result = runner.invoke(cli_app, ["verify", str(old_export)])
    assert result.exit_code == 0, result.output
    assert f"verified; {note}" in result.stdout

    # Unreachable and not in the file: the status is unknown, and that fails.
    bare = replace(ledger, status_lists={})
    (check,) = verify_export(bare, fetch_status=down).records
    assert not check.ok and check.reason.startswith("status unknown")
    assert check.status is not None and "unreachable" in check.status


def test_the_httpx_fetcher_reports_an_unreachable_url() -> None:
    with pytest.raises(StatusUnreachable):
        ledger_cli._fetch_status("http://127.0.0.1:1/status/0")  # nothing listens on port 1
    with pytest.raises(StatusUnreachable, match="not an http"):
        ledger_cli._fetch_status("ftp://tr.example/status/0")


def forged_list(tmp: Path, *, issuer: str, kid: str | None = None) -> str:
    """A status list for LIST with no bit set, signed by a key the host never published
    (claiming the host's `kid` when given)."""
    other = KeyStore(tmp / "other-keys").active()
    body = statuslist.list_credential(
        Issuer(issuer, "not the host"), LIST, statuslist.bitstring([]), datetime.now(UTC)
    )
    token = vcjwt.sign(body, other)
    if kid is None:
        return token
    from joserfc import jwt as _jwt

    header = {"alg": "RS256", "kid": kid, "typ": "JWT"}
    return _jwt.encode(header, vcjwt.claims_for(body), other.key, algorithms=["RS256"])


def test_a_live_list_signed_by_another_key_fails(
    host: Host, old_export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = read_export(old_export)
    host_kid = vcjwt.header_of(ledger.records[0].credential)["kid"]
    cases = {
        forged_list(tmp_path, issuer=DID): "signed by a key the issuer never published",
        forged_list(tmp_path, issuer=DID, kid=host_kid): "signature",
        vcjwt.sign(
            statuslist.list_credential(
                Issuer("did:web:elsewhere.example", "x"), LIST, statuslist.bitstring([]),
                datetime.now(UTC),
            ),
            KeyStore(tmp_path / "other-keys").active(),
        ): "never published",
        '{"type": "BitstringStatusListCredential"}': f"status list {LIST}:",
    }  # fmt: skip
    for served, why in cases.items():
        report = verify_export(ledger, fetch_status=always(served))
        (check,) = report.records
        assert not check.ok, served[:40]
        assert check.reason.startswith(f"status list {LIST}") and why in check.reason
        assert check.status == f"status live from {LIST}"
    assert verify_export(ledger).ok  # the file's own list is fine: the live one failed

    monkeypatch.setattr(ledger_cli, "_fetch_status", lambda url: forged_list(tmp_path, issuer=DID))
    result = runner.invoke(cli_app, ["verify", str(old_export)])
    assert result.exit_code == 1 and "never published" in result.stdout, result.output


def test_an_older_list_served_now_does_not_undo_a_revocation(
    host: Host, server: TestClient, tmp_path: Path, catalog: FakeCatalog
) -> None:
    before = served_by(server)(LIST)  # the list before the revocation, signed by the host
    assert host.revoke(host.only()["id"], "cheated").status_code == 200
    path = exported(host, server, tmp_path, catalog)  # fetched after: the file says revoked
    (check,) = verify_export(read_export(path), fetch_status=always(before)).records
    assert not check.ok
    assert f"(status list {LIST} as of the export, index " in check.reason
    assert "the list served now does not show it" in check.reason
