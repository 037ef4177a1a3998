"""The medal badge: an SVG with the signed credential baked in as OB 3.0 says, served at
/credentials/{id}/badge.svg; the image alone verifies (keys from the issuer's did:web, the
status list from its URL), a revoked or tampered one does not; the Track record page."""

# ruff: noqa: F811 (pytest fixtures imported from test_ledger_server and test_web_support)
from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import FakeCatalog, regression_file
from tests.test_ledger_server import DID, Host, host, server  # noqa: F401 (fixtures)
from tests.test_web_support import bearer, csrf, personal, signup  # noqa: F401
from trackrecord.bundle import Bundle
from trackrecord.cli import app as cli_app
from trackrecord.cli import ledger_cli
from trackrecord.ledger import badge, parse_export, verify_export
from trackrecord.ledger import fetch as F

runner = CliRunner()
OB = "{https://purl.imsglobal.org/ob/v3p0}credential"


def badge_of(h: Host, cid: str) -> bytes:
    response = h.server.get(f"/credentials/{cid}/badge.svg", headers=bearer(h.bob))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return response.content


def test_the_badge_carries_the_credential_and_verifies_alone(
    host: Host, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credential = host.only()
    svg = badge_of(host, credential["id"])
    root = ET.fromstring(svg)
    (baked,) = root.findall(OB)
    assert baked.get("verify") == credential["credential"]
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    assert badge.unbake(svg) == credential["credential"]

    ledger = F.resolve_badge(svg, trusted=None, get=host.get)
    assert ledger.issuers[DID].source == "https://tr.example/.well-known/did.json"
    assert verify_export(ledger).ok

    path = tmp_path / "badge.svg"
    path.write_bytes(svg)
    monkeypatch.setattr(ledger_cli, "_fetch", lambda url, what: host.get(url))
    ok = runner.invoke(cli_app, ["verify", str(path)])
    assert ok.exit_code == 0 and "[host-verified]: verified" in ok.stdout, ok.output

    assert host.revoke(credential["id"], "copied").status_code == 200
    revoked = runner.invoke(cli_app, ["verify", str(path)])
    assert revoked.exit_code == 1 and "revoked by its issuer" in revoked.stdout


def test_a_tampered_badge_fails(host: Host) -> None:
    svg = badge_of(host, host.only()["id"]).decode()
    head, body, sig = badge.unbake(svg).split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["name"] = claims["name"].replace("Finalized", "Gold on")  # a better medal
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = badge.bake(svg, f"{head}.{forged_body}.{sig}")
    assert forged.count("<openbadges:credential") == 1  # baking replaces, never adds
    report = verify_export(F.resolve_badge(forged.encode(), trusted=None, get=host.get))
    assert not report.ok
    assert report.records[0].reason.startswith("signature does not verify")


def test_another_learner_cannot_fetch_the_badge(host: Host, server: TestClient) -> None:
    cid = host.only()["id"]
    server.cookies.clear()
    signup(server, "eve")
    assert server.get(f"/credentials/{cid}/badge.svg").status_code == 404


def test_unbake_refuses_what_is_not_a_baked_svg() -> None:
    with pytest.raises(badge.BadgeError, match="no <openbadges:credential>"):
        badge.unbake('<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>')
    with pytest.raises(badge.BadgeError, match="DTD or entities"):
        badge.unbake('<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>')
    with pytest.raises(badge.BadgeError, match="not well-formed"):
        badge.unbake("<svg")
    with pytest.raises(badge.BadgeError, match="not an SVG"):
        badge.unbake("<html/>")
    embedded = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/'
        'ob/v3p0"><openbadges:credential><![CDATA[{"id": 1}]]></openbadges:credential></svg>'
    )
    with pytest.raises(badge.BadgeError, match="embedded proof"):
        badge.unbake(embedded)


def test_bake_into_any_svg_round_trips() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln"
    plain = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10"><g/></svg>'
    baked = badge.bake(plain, token)
    assert badge.unbake(baked) == token and baked.startswith('<?xml version="1.0"?>')
    assert badge.unbake(badge.bake(baked, token[:-1] + "A")) == token[:-1] + "A"


# The Track record page -----------------------------------------------------------------


def test_track_record_page_personal(
    personal: TestClient, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    sub = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 0.5).read_bytes()
    sent = personal.post("/api/v1/challenges/toy-reg/submissions", files={"file": ("s.csv", sub)})
    assert sent.status_code == 201, sent.text
    assert personal.post("/api/v1/challenges/toy-reg/finalize", json={}).status_code == 200
    page = personal.get("/track-record")
    assert page.status_code == 200
    assert "self-scored" in page.text and "verified" in page.text
    assert 'href="/track-record/trackrecord.json"' in page.text
    assert '<a href="/track-record">Track record</a>' in page.text  # in the navigation
    cid = re.search(r'href="/credentials/([^/"]+)/badge.svg"', page.text)
    assert cid is not None
    assert personal.get(f"/credentials/{cid.group(1)}/badge.svg").status_code == 200
    download = personal.get("/track-record/trackrecord.json")
    assert download.headers["content-disposition"] == 'attachment; filename="trackrecord.json"'
    assert verify_export(parse_export(download.json())).ok
    built = personal.post(
        "/track-record/preview", data={"csrf_token": csrf(personal, "/track-record")},
        follow_redirects=False,
    )  # fmt: skip
    assert built.status_code == 303, built.text
    index = personal.get(built.headers["location"])
    assert index.status_code == 200 and "self-scored" in index.text
    assert "Open the preview" in personal.get("/track-record").text
    assert personal.get("/track-record/preview/../../trackrecord.db").status_code == 404


def test_track_record_page_hosted_shows_origin_and_revocation(
    host: Host, server: TestClient
) -> None:
    cid = host.only()["id"]
    assert host.revoke(cid, "answer key leaked").status_code == 200
    server.cookies.clear()
    token = csrf(server, "/login")
    server.post("/login", data={"username": "bob", "password": "correct horse",
                                "csrf_token": token})  # fmt: skip
    page = server.get("/track-record")
    assert page.status_code == 200
    assert "host-verified" in page.text and "revoked by its issuer" in page.text
    assert "answer key leaked" in page.text
    assert "trackrecord fetch --server http://tr.example" in page.text
    assert server.post("/track-record/preview", data={"csrf_token": csrf(server, "/track-record")}
                       ).status_code == 404  # fmt: skip


def test_me_credentials_in_personal_mode(personal: TestClient, catalog: FakeCatalog) -> None:
    answer = personal.get("/api/v1/me/credentials").json()
    assert answer["credentials"] == [] and answer["issuer"]["id"].startswith("urn:uuid:")
