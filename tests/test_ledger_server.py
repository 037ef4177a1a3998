"""The hosted server's side of the track record, in process: the published keys and did:web
document (checked by PyJWT against a host-verified credential), the status list, revocation
through the API and the host's page (reason kept), and the learner fetching the host's
credentials into their own ledger, where `verify` reports the revoked one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.conftest import FakeCatalog
from tests.test_web_support import (
    api_token,
    bearer,
    bundle_zip,
    client_for,
    csrf,
    hosted,
    signup,
    split_submission,
)
from trackrecord import client
from trackrecord.bundle import Bundle
from trackrecord.cli import app as cli_app
from trackrecord.ledger import didweb, statuslist, vcjwt, verify_export
from trackrecord.ledger import fetch as F
from trackrecord.ledger.credential import origin_of
from trackrecord.ledger.export import read_export, write_export
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.models import CredentialRevocation

URL = "http://tr.example"
DID = "did:web:tr.example"
runner = CliRunner()


@pytest.fixture
def server(settings: Settings, catalog: FakeCatalog) -> Iterator[TestClient]:
    with client_for(hosted(settings, public_url=URL), catalog, base_url=URL) as c:
        yield c


def promote(server: TestClient, username: str, role: str) -> None:
    from trackrecord.web.accounts import set_role

    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        set_role(s, username, role)


class Host:
    """A hosted server where admin ada hosts `class-reg` and learner bob finalized it."""

    def __init__(self, server: TestClient, bundles: dict[str, Bundle], tmp: Path) -> None:
        self.server = server
        signup(server, "ada")
        promote(server, "ada", "admin")  # as the operator would (`trackrecord users`)
        self.ada = api_token(server, "ada")
        archive = bundle_zip(bundles["toy-reg"], tmp / "class.zip", new_id="class-reg")
        made = server.post(
            "/api/v1/host/challenges",
            headers=bearer(self.ada),
            files={"bundle": ("class.zip", archive.read_bytes())},
        )
        assert made.status_code == 201, made.text
        server.cookies.clear()
        signup(server, "bob")
        server.cookies.clear()
        self.bob = api_token(server, "bob")
        good = split_submission(tmp / "good.csv", bundles["toy-reg"]).read_bytes()
        sent = server.post(
            "/api/v1/challenges/class-reg/submissions",
            headers=bearer(self.bob),
            files={"file": ("good.csv", good)},
        )
        assert sent.status_code == 201, sent.text
        done = server.post(
            "/api/v1/challenges/class-reg/finalize",
            headers=bearer(self.bob),
            json={"numbers": [1]},
        )
        assert done.status_code == 200, done.text

    def credentials(self) -> dict[str, Any]:
        answer = self.server.get("/api/v1/me/credentials", headers=bearer(self.bob))
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        return data

    def only(self) -> dict[str, Any]:
        (credential,) = self.credentials()["credentials"]
        assert isinstance(credential, dict)
        return credential

    def revoke(self, cid: str, reason: str, token: str | None = None) -> Any:
        return self.server.post(
            f"/api/v1/credentials/{cid}/revoke",
            headers=bearer(token or self.ada),
            json={"reason": reason},
        )

    def get(self, url: str) -> bytes:
        """What the network gives for `url` (did:web resolves over https: same server)."""
        response = self.server.get(url.replace("https://", "http://"))
        assert response.status_code == 200, (url, response.text)
        return response.content


@pytest.fixture
def host(server: TestClient, bundles: dict[str, Bundle], tmp_path: Path) -> Host:
    return Host(server, bundles, tmp_path)


def status_bit(h: Host, credential: dict[str, Any]) -> bool:
    listed = h.server.get(credential["status"]["list"].removeprefix(URL))
    assert listed.status_code == 200
    assert listed.headers["content-type"].startswith("application/vc+jwt")
    payload = vcjwt.decode_credential(listed.text)
    assert "BitstringStatusListCredential" in payload["type"] and payload["issuer"]["id"] == DID
    bits = statuslist.decode(payload["credentialSubject"]["encodedList"])
    return statuslist.is_set(bits, credential["status"]["index"])


# Identity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "did"),
    [
        ("https://tr.example.org", "did:web:tr.example.org"),
        ("https://tr.example.org:8443/", "did:web:tr.example.org%3A8443"),
        ("https://Example.org/class/fall 2030", "did:web:example.org:class:fall%202030"),
        ("http://[::1]:8765", "did:web:%3A%3A1%3A8765"),
    ],
)
def test_did_web_of_a_public_url(url: str, did: str) -> None:
    assert didweb.did_web(url) == did


def test_without_a_public_url_the_did_is_the_bind_address(settings: Settings) -> None:
    plain = hosted(settings)
    assert didweb.public_url(plain) == "http://127.0.0.1:8765"
    assert didweb.did_of(plain) == "did:web:127.0.0.1%3A8765"
    assert didweb.status_list_base(plain) == "http://127.0.0.1:8765/status"


def test_jwks_and_did_document_verify_a_host_verified_credential(host: Host) -> None:
    jwks = host.server.get("/.well-known/jwks.json").json()
    doc = host.server.get("/.well-known/did.json").json()
    assert doc["id"] == DID and "https://www.w3.org/ns/did/v1" in doc["@context"]
    kids = [k["kid"] for k in jwks["keys"]]
    methods = doc["verificationMethod"]
    assert [m["id"] for m in methods] == [f"{DID}#{kid}" for kid in kids]
    assert doc["assertionMethod"] == [m["id"] for m in methods]
    assert all(m["type"] == "JsonWebKey" and m["controller"] == DID for m in methods)
    assert all("d" not in m["publicKeyJwk"] for m in methods)  # public halves only

    credential = host.only()
    token = credential["credential"]
    header = pyjwt.get_unverified_header(token)
    (method,) = [m for m in methods if m["id"].endswith("#" + header["kid"])]
    key = pyjwt.PyJWK(method["publicKeyJwk"]).key
    payload = pyjwt.decode(token, key=key, algorithms=["RS256"], options={"verify_aud": False})
    assert payload["iss"] == DID and payload["issuer"]["id"] == DID
    assert origin_of(payload) == "host-verified" == credential["origin"]
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == f"{URL}/status/0"
    other = pyjwt.PyJWK(jwks["keys"][0] | {"n": jwks["keys"][0]["n"][:-4] + "AAAA"}).key
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(token, key=other, algorithms=["RS256"], options={"verify_aud": False})


def test_rotation_keeps_old_keys_published(host: Host, settings: Settings) -> None:
    from trackrecord.ledger.keys import keystore

    before = host.server.get("/.well-known/jwks.json").json()["keys"]
    keystore(settings.home).rotate()
    after = host.server.get("/.well-known/jwks.json").json()["keys"]
    doc = host.server.get("/.well-known/did.json").json()
    assert len(after) == len(before) + 1 and before[0] in after
    assert len(doc["assertionMethod"]) == len(after)


# Revocation ----------------------------------------------------------------------------


def test_revocation_through_the_api_keeps_the_reason_and_flips_the_bit(
    host: Host, server: TestClient
) -> None:
    credential = host.only()
    assert credential["status"]["revoked"] is False and not status_bit(host, credential)
    cid = credential["id"]
    assert host.revoke(cid, "copied", token=host.bob).status_code == 403  # a learner
    assert host.revoke(cid, "").status_code == 422  # a reason is required
    assert host.revoke("urn:uuid:nope", "x").status_code == 404
    done = host.revoke(cid, "  answer key leaked in the forum  ")
    assert done.status_code == 200, done.text
    assert done.json()["status"]["revoked"] is True
    assert host.revoke(cid, "again").status_code == 409
    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        (row,) = s.scalars(select(CredentialRevocation)).all()
        assert row.reason == "answer key leaked in the forum"
    assert status_bit(host, host.only())
    seen = host.only()["status"]
    assert seen["revoked"] and seen["reason"] == "answer key leaked in the forum"
    assert server.get("/status/7").status_code == 404


def test_only_the_challenges_host_or_an_admin_may_revoke(host: Host, server: TestClient) -> None:
    from trackrecord.errors import PermissionDenied
    from trackrecord.ledger import hosted as H
    from trackrecord.store.models import Challenge, User

    svc = server.app.state.web.service  # type: ignore[attr-defined]
    cid = host.only()["id"]
    with svc.session() as s:
        bob = s.scalars(select(User).where(User.username == "bob")).one()
        challenge = s.scalars(select(Challenge).where(Challenge.slug == "class-reg")).one()
        creator = challenge.created_by
    with pytest.raises(PermissionDenied):
        H.revoke(svc, cid, "not mine", user_id=bob.id, role="host")  # another host
    view = H.revoke(svc, cid, "mine", user_id=creator, role="host")
    assert view.revoked and view.reason == "mine"


def test_revoke_from_the_hosts_challenge_page(host: Host, server: TestClient) -> None:
    server.cookies.clear()
    token = csrf(server, "/login")
    server.post("/login", data={"username": "ada", "password": "correct horse",
                                "csrf_token": token})  # fmt: skip
    page = server.get("/host/challenges/class-reg")
    assert page.status_code == 200 and 'id="credentials"' in page.text
    cid = host.only()["id"]
    assert f'value="{cid}"' in page.text and "Revoke" in page.text
    form = {"csrf_token": csrf(server, "/host/challenges/class-reg"), "credential_id": cid,
            "challenge": "class-reg"}  # fmt: skip
    refused = server.post("/host/credentials/revoke", data={**form, "reason": " "})
    assert refused.status_code == 409 and "reason" in refused.text
    done = server.post(
        "/host/credentials/revoke", data={**form, "reason": "cheated"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].endswith("#credentials")
    after = server.get("/host/challenges/class-reg").text
    assert "revoked" in after and "cheated" in after and f'value="{cid}"' not in after
    assert status_bit(host, host.only())


# The learner's ledger ------------------------------------------------------------------


def learner_service(tmp: Path, catalog: FakeCatalog) -> Service:
    home = tmp / "learner"
    home.mkdir(exist_ok=True)
    return Service(Settings(home=home, database_url=f"sqlite:///{home / 'tr.db'}"),
                   catalog=catalog)  # fmt: skip


def test_fetch_adds_host_credentials_and_verify_reports_the_revoked_one(
    host: Host, server: TestClient, tmp_path: Path, catalog: FakeCatalog
) -> None:
    cid = host.only()["id"]
    with learner_service(tmp_path, catalog) as mine:
        home = mine.settings.home
        with pytest.raises(Exception, match="trackrecord login --server"):
            F.download(URL, home=home, transport=server._transport)
        client.store_token(home, URL, host.bob, "bob")
        fetched = F.download(URL, home=home, transport=server._transport)
        summary = F.store(mine, mine.local_user_id(), fetched)
        assert summary.added == [cid] and summary.issuer == DID and not summary.revoked
        export = mine.export_ledger(mine.local_user_id())
        report = verify_export(export)
        assert report.ok, report.first_failure
        assert [r.origin for r in report.records] == ["host-verified"]
        assert export.issuers[DID].source == f"{URL}/.well-known/jwks.json"

        assert host.revoke(cid, "leaked answer key").status_code == 200
        refetched = F.download(URL, home=home, transport=server._transport)
        again = F.store(mine, mine.local_user_id(), refetched)
        assert again.added == [] and again.known == 1 and again.revoked == [cid]
        path = write_export(mine.export_ledger(mine.local_user_id()), tmp_path / "ledger.json")
    report = verify_export(read_export(path))
    assert not report.ok
    assert report.records[0].reason.startswith("revoked by its issuer (status list http://tr")
    result = runner.invoke(cli_app, ["verify", str(path)])
    assert result.exit_code == 1 and "revoked by its issuer" in result.stdout


def test_fetch_refuses_a_credential_the_server_did_not_sign(
    host: Host, server: TestClient, tmp_path: Path, catalog: FakeCatalog
) -> None:
    with learner_service(tmp_path, catalog) as mine:
        client.store_token(mine.settings.home, URL, host.bob, "bob")
        fetched = F.download(URL, home=mine.settings.home, transport=server._transport)
        token = fetched.credentials[0]["credential"]
        head, body, sig = token.split(".")
        forged = f"{head}.{body}.{sig[:-6]}AAAAAA"
        bad = F.HostCredentials(**{**fetched.__dict__,
                                   "credentials": [{**fetched.credentials[0],
                                                    "credential": forged}]})  # fmt: skip
        with pytest.raises(F.FetchError, match="signature does not verify"):
            F.store(mine, mine.local_user_id(), bad)
        assert mine.export_ledger(mine.local_user_id()).records == []


def test_the_fetch_command(
    host: Host, server: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "cli-learner"
    original = F.download
    monkeypatch.setattr(
        F, "download", lambda url, *, home: original(url, home=home, transport=server._transport)
    )
    client.store_token(home, URL, host.bob, "bob")
    first = runner.invoke(cli_app, ["fetch", "--server", URL, "--home", str(home), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["added"] == [host.only()["id"]]
    again = runner.invoke(cli_app, ["fetch", "--server", URL, "--home", str(home)])
    assert again.exit_code == 0 and "0 new credential(s)" in again.stdout
    assert "1 already here" in again.stdout

    # `trackrecord fetch` loads this area alone (cli.COMMANDS): it stays a subcommand there.
    from trackrecord.cli import COMMANDS, build_app

    alone = build_app((COMMANDS["fetch"],))
    quick = runner.invoke(alone, ["fetch", "--server", URL, "--home", str(home)])
    assert quick.exit_code == 0 and "1 already here" in quick.stdout, quick.output
