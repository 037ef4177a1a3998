"""The built site in Chromium, opened from disk (file://): each result page verifies its
credential with WebCrypto before it says "verified", and says clearly why when it cannot."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trackrecord.bundle import Bundle
from trackrecord.cli import app
from trackrecord.portfolio import SiteInput, build_site

from .conftest import regression_file
from .test_browser import CHROMIUM_ARGS, chromium_path
from .test_portfolio_support import SAMPLE, Result, Signer, make_export

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        yield page
        browser.close()


def statuses(page: Any, path: Path) -> list[tuple[str, str]]:
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-verify-done]", timeout=15_000)
    return [
        (el.get_attribute("data-verify-status"), el.text_content().strip())
        for el in page.query_selector_all("[data-verify-status]")
    ]


def site(tmp_path: Path, export: dict[str, Any]) -> Path:
    build_site(tmp_path / "site", SiteInput(export))
    return tmp_path / "site"


def b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def with_payload(token: str, change: dict[str, Any]) -> str:
    """The same signature over a payload someone edited."""
    head, body, sig = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["credentialSubject"]["result"][0].update(change)
    return f"{head}.{b64(payload)}.{sig}"


def test_an_honest_site_says_verified_on_every_result(page: Any, tmp_path: Path) -> None:
    out = site(tmp_path, make_export(SAMPLE))
    [(state, text)] = statuses(page, out / "projects" / "toy-reg.html")
    assert state == "verified" and text.startswith("✓ verified in this browser")
    cls = statuses(page, out / "projects" / "toy-cls.html")
    assert [s for s, _ in cls] == ["verified", "verified"]  # the result and a submission
    assert [s for s, _ in statuses(page, out / "index.html")] == ["verified", "verified"]
    assert "self-scored" in page.inner_text("main")


def test_a_score_changed_inside_the_credential_fails_the_signature(
    page: Any, tmp_path: Path
) -> None:
    export = make_export(SAMPLE)
    record = export["records"][0]
    record["credential"] = with_payload(record["credential"], {"value": "0.5"})
    out = site(tmp_path, export)
    [(state, text)] = statuses(page, out / "projects" / "toy-reg.html")
    assert state == "failed"
    assert "not verified: the signature does not match" in text
    assert "verified" not in page.inner_text(".card.failed").replace("not verified", "")


def test_a_score_changed_on_the_page_fails(page: Any, tmp_path: Path) -> None:
    out = site(tmp_path, make_export(SAMPLE))
    path = out / "projects" / "toy-reg.html"
    html = path.read_text()
    pointer = 'data-claim="/credentialSubject/result/0/value">1.87<'
    assert pointer in html
    path.write_text(html.replace(pointer, pointer.replace("1.87", "0.50")))
    [(state, text)] = statuses(page, path)
    assert state == "failed"
    assert "the page shows “0.50” where the signed credential says “1.87”" in text


def test_a_key_the_issuer_never_published_fails(page: Any, tmp_path: Path) -> None:
    export = make_export(SAMPLE)
    intruder = Signer()  # same issuer id, a key not in the issuer's JWKS
    export["records"][0]["credential"] = intruder.sign(Result("toy-reg", "Toy regression", 0.1))
    out = site(tmp_path, export)
    [(state, text)] = statuses(page, out / "projects" / "toy-reg.html")
    assert state == "failed" and "never published" in text and intruder.kid in text


def test_a_moved_record_fails_its_hash(page: Any, tmp_path: Path) -> None:
    export = make_export(SAMPLE)
    export["records"][0]["position"] = 7  # the credential is intact; the ledger entry is not
    out = site(tmp_path, export)
    [(state, text)] = statuses(page, out / "projects" / "toy-reg.html")
    assert state == "failed" and "hash does not match" in text


@pytest.mark.usefixtures("cli_catalog")
def test_a_site_published_from_the_own_ledger_verifies(
    page: Any, home: Path, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    """As a new user: finalize a project, publish, open the site (credentials issued by the
    ledger itself, not by the test)."""
    runner = CliRunner()
    assert runner.invoke(app, ["start", "toy-reg", "--dir", str(tmp_path / "ws")]).exit_code == 0
    regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.5)
    assert runner.invoke(app, ["submit", "toy-reg", str(tmp_path / "s.csv")]).exit_code == 0
    assert runner.invoke(app, ["finalize", "toy-reg", "--yes"]).exit_code == 0
    result = runner.invoke(app, ["publish", str(tmp_path / "site")])
    assert result.exit_code == 0, result.stderr
    found = statuses(page, tmp_path / "site" / "projects" / "toy-reg.html")
    assert found and all(state == "verified" for state, _ in found), found
    assert "silver" in page.inner_text("main").lower()
    assert "self-scored" in page.inner_text("main")
