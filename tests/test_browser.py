"""The web app in Chromium, as people use it (Playwright; Debian's chromium, never a
downloaded browser). Skips when chromium is absent, unless TRACKRECORD_REQUIRE_SERVICES=1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from trackrecord.bundle import Bundle
from trackrecord.settings import Settings
from trackrecord.web import create_app
from trackrecord.web.accounts import set_role

from .conftest import FakeCatalog
from .test_web_support import (
    INVITE,
    PASSWORD,
    LiveServer,
    bad_submission,
    bundle_zip,
    hosted,
    split_submission,
    zip_names,
)

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    found = (
        os.environ.get("TRACKRECORD_CHROMIUM")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    )
    if found:
        return found
    reason = "Chromium is not installed (apt-get install chromium); browser tests skipped"
    if os.environ.get("TRACKRECORD_REQUIRE_SERVICES") == "1":
        pytest.fail(f"TRACKRECORD_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser() -> Iterator[object]:
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def site(home: Path, catalog: FakeCatalog, tmp_path: Path) -> Iterator[LiveServer]:
    settings = hosted(Settings(home=home, database_url=f"sqlite:///{tmp_path / 'b.db'}"))
    with LiveServer(create_app(settings, catalog=catalog)) as server:
        yield server


def sign_up(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/signup")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=invite]", INVITE)
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def test_learner_and_host_journeys(
    browser,
    site: LiveServer,
    bundles: dict[str, Bundle],  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    url = site.url
    host_ctx = browser.new_context(accept_downloads=True)
    host = host_ctx.new_page()
    sign_up(host, url, "teacher")
    with site.server.config.app.state.web.service.session() as s:  # the operator's step
        set_role(s, "teacher", "admin")
    archive = bundle_zip(bundles["toy-reg"], tmp_path / "class.zip", new_id="class-reg")
    host.goto(f"{url}/host")
    host.set_input_files("input[name=bundle]", str(archive))
    host.locator("form[action='/host/challenges'] button.primary").click()
    host.wait_for_url(f"{url}/host/challenges/class-reg")
    assert "No submissions yet" in host.content()

    learner_ctx = browser.new_context(accept_downloads=True)
    page = learner_ctx.new_page()
    sign_up(page, url, "lea")
    page.click("a[href='/projects/class-reg']")
    page.wait_for_url(f"{url}/projects/class-reg")
    # The link as the signed-in learner's browser fetches it (same cookies). Download
    # events do not fire with Debian's chromium under this Playwright, so the bytes are
    # fetched through the browser context instead of the download manager.
    link = page.locator("a", has_text="Download the data")
    data = page.request.get(url + link.get_attribute("href"))
    assert data.status == 200 and data.headers["content-type"] == "application/zip"
    assert "class-reg/data/train.csv" in zip_names(data.body())

    page.set_input_files("input[name=file]", str(bad_submission(tmp_path / "bad.csv")))
    page.click("form[data-dropzone] button.primary")
    error = page.locator("#upload-error")
    error.wait_for()
    assert "bad.csv" in error.inner_text()

    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    page.set_input_files("input[name=file]", str(good))
    page.click("form[data-dropzone] button.primary")
    page.wait_for_url("**/projects/class-reg?submitted=*")
    assert "0.25" in page.locator("#result").inner_text()
    page.click("text=Leaderboard →")
    page.wait_for_url(f"{url}/projects/class-reg/leaderboard")
    board = page.locator("table.board").first.inner_text()
    assert "lea" in board and "boosting" in board

    host.goto(f"{url}/host/challenges/class-reg")
    listing = host.locator("table.subs").first.inner_text()
    assert "lea" in listing and "good.csv" in listing and "bad.csv" in listing
    host_ctx.close()
    learner_ctx.close()


def test_learner_saves_final_picks_before_the_deadline(
    browser,
    site: LiveServer,
    bundles: dict[str, Bundle],  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    service = site.server.config.app.state.web.service  # type: ignore[attr-defined]
    archive = bundle_zip(bundles["toy-reg"], tmp_path / "timed.zip", new_id="timed")
    service.add_challenge(archive, deadline=datetime(2099, 1, 1, tzinfo=UTC))
    ctx = browser.new_context()
    page = ctx.new_page()
    sign_up(page, site.url, "lea")
    page.goto(f"{site.url}/projects/timed")
    for private_off in (0.25, 3.0):
        sub = split_submission(
            tmp_path / f"s{private_off}.csv", bundles["toy-reg"], 0.25, private_off
        )
        page.set_input_files("input[name=file]", str(sub))
        page.click("form[data-dropzone] button.primary")
        page.wait_for_url("**/projects/timed?submitted=*")
    boxes = page.locator("input[name=pick]")
    assert boxes.count() == 2 and page.locator("input[name=pick]:checked").count() == 0
    chosen = boxes.nth(0).get_attribute("value")  # the newest submission
    boxes.nth(0).check()
    page.click("text=Save final picks")
    page.wait_for_url(f"{site.url}/projects/timed#final")
    checked = page.locator("input[name=pick]:checked")
    assert checked.count() == 1 and checked.get_attribute("value") == chosen
    assert "You can change them until the deadline" in page.content()
    ctx.close()


LONG_REFERENCE = (
    "# The reference pipeline: a line far longer than a phone screen is wide, "
    "which the page must scroll inside its own box rather than widen the page\n"
    "import pandas as pd\n\n\ndef predict(train: pd.DataFrame) -> pd.Series:\n"
    "    return train['y'].rolling(window=7, min_periods=1).mean().shift(1)"
    ".fillna(train['y'].mean())  # one long line\n"
)


def _submit_file(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files("input[name=file]", str(path))
    page.click("form[data-dropzone] button.primary")


def test_finalize_asks_first_and_works_without_javascript(
    browser,
    site: LiveServer,
    bundles: dict[str, Bundle],  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    sign_up(page, site.url, "lea")
    page.goto(f"{site.url}/projects/toy-reg")
    assert "on the public split" in page.inner_text("#estimate")
    for public in (0.5, 0.25):
        sub = split_submission(tmp_path / f"s{public}.csv", bundles["toy-reg"], public)
        _submit_file(page, sub)
        page.wait_for_url("**/projects/toy-reg?submitted=*")
    page.click("#final button.primary")  # "Finalize…": no confirm() dialog, a page
    page.wait_for_url(f"{site.url}/projects/toy-reg/finalize")
    confirm = page.inner_text("#confirm")
    assert "What will be judged" in confirm and "#2" in confirm and "0.25" in confirm
    assert "0.618" not in confirm  # the private score is not known before
    page.goto(f"{site.url}/projects/toy-reg")
    assert page.locator("#final-result").count() == 0  # leaving the page finalized nothing
    page.click("#final button.primary")
    page.wait_for_url(f"{site.url}/projects/toy-reg/finalize")
    page.click("#confirm-finalize")
    page.wait_for_url(f"{site.url}/projects/toy-reg#result")
    result = page.inner_text("#final-result")
    assert "0.618034" in result and "private line" in result and "1st of 1" in result
    assert "Submit for practice" in page.content()
    ctx.close()


def test_project_page_fits_a_390px_phone(
    browser,
    site: LiveServer,
    bundles: dict[str, Bundle],  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    (bundles["toy-reg"].root / "private" / "reference.py").write_text(LONG_REFERENCE)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    sign_up(page, site.url, "lea")

    def width(path: str) -> int:
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
        return int(page.evaluate("document.scrollingElement.scrollWidth"))

    assert width("/projects/toy-reg") <= 390
    _submit_file(page, bad_submission(tmp_path / "a-rather-long-file-name-from-a-notebook.csv"))
    page.locator("#upload-error").wait_for()
    good = split_submission(tmp_path / "submission_with_a_long_descriptive_name_v2.csv",
                            bundles["toy-reg"])  # fmt: skip
    page.fill("input[name=note]", "gradient boosting with lagged features and a tuned depth")
    _submit_file(page, good)
    page.wait_for_url("**/projects/toy-reg?submitted=*")
    assert "not a number" in page.inner_text("#result")  # the invalid file's reason stays
    assert width("/projects/toy-reg") <= 390
    assert width("/projects/toy-reg/finalize") <= 390
    page.click("#confirm-finalize")
    page.wait_for_url(f"{site.url}/projects/toy-reg#result")
    assert "rolling(window=7" in page.inner_text("#reference")
    assert width("/projects/toy-reg") <= 390
    assert width("/profile") <= 390
    ctx.close()


def test_personal_mode_project_page_fits_a_390px_phone(
    browser,
    home: Path,
    catalog: FakeCatalog,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings = Settings(home=home, database_url=f"sqlite:///{tmp_path / 'p.db'}")
    with LiveServer(create_app(settings, catalog=catalog)) as server:
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = ctx.new_page()
        for path in ("/projects/toy-reg", "/profile"):
            page.goto(server.url + path)
            assert "personal mode" in page.inner_text("header")
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 390, path
        ctx.close()
