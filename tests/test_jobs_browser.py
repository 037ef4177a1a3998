"""Code submissions in Chromium: a learner uploads a script on the project page and watches
the job go from queued to scored without reloading; a script that crashes shows its
reason and the last lines of its stderr, as text. Launched and skipped as
tests/test_browser.py does (Debian's chromium through Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.web import create_app

from .conftest import FakeCatalog
from .jobs_web_support import CRASH, GOOD, HeldExecutor, sandbox, write
from .test_browser import browser, sign_up  # noqa: F401 (the fixture)
from .test_web_support import PRIVATE_OFF, LiveServer, hosted

pytestmark = pytest.mark.browser
WAIT_MS = 60_000  # the job runs in the real sandbox when this machine has one


@pytest.fixture
def site(
    home: Path, catalog: FakeCatalog, tmp_path: Path
) -> Iterator[tuple[LiveServer, HeldExecutor]]:
    settings = hosted(Settings(home=home, database_url=f"sqlite:///{tmp_path / 'j.db'}"))
    svc = Service(settings, catalog=catalog)
    executor = HeldExecutor(svc, sandbox())  # holds each job until the test releases it
    with LiveServer(create_app(settings, service=svc, jobs=executor)) as server:
        yield server, executor
    executor.close()


def _send(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files("input[name=code]", str(path))
    page.click("form.upload-code button.primary")
    page.wait_for_url("**/projects/toy-reg#job-*")


def test_a_job_shows_its_progress_then_its_score_without_a_reload(
    browser,  # type: ignore[no-untyped-def]  # noqa: F811
    site: tuple[LiveServer, HeldExecutor],
    tmp_path: Path,
) -> None:
    server, executor = site
    ctx = browser.new_context()
    page = ctx.new_page()
    sign_up(page, server.url, "lea")
    page.goto(f"{server.url}/projects/toy-reg")
    _send(page, write(tmp_path / "train.py", GOOD))
    job = executor.held[0]
    row = page.locator(f"#job-{job}")
    assert row.get_attribute("data-state") == "queued"
    assert "1st in the queue" in row.inner_text()
    assert row.locator("button", has_text="Cancel").count() == 1
    page.evaluate("window.stillThisPage = true")  # gone if the page were loaded again

    executor.release()  # a worker takes it
    page.locator(f"#job-{job}[data-state=scored]").wait_for(timeout=WAIT_MS)
    assert page.evaluate("window.stillThisPage") is True  # updated in place
    text = page.locator(f"#job-{job}").inner_text()
    assert "0.25" in text and "public split" in text and "submission #1" in text
    assert f"{PRIVATE_OFF:.6g}" not in page.content()  # the private score stays hidden
    assert page.locator("#jobs-list[data-poll]").count() == 0  # nothing left to watch

    page.click(f"#job-{job} a", timeout=WAIT_MS)  # to the submission in the history
    page.wait_for_url("**/projects/toy-reg?*")
    history = page.inner_text("#sub-1")
    assert "0.25" in history and f"output of train.py (code submission, job {job})" in history
    ctx.close()


def test_a_crashing_script_shows_the_reason_and_its_stderr_tail(
    browser,  # type: ignore[no-untyped-def]  # noqa: F811
    site: tuple[LiveServer, HeldExecutor],
    tmp_path: Path,
) -> None:
    server, executor = site
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    sign_up(page, server.url, "max")
    page.goto(f"{server.url}/projects/toy-reg")
    _send(page, write(tmp_path / "crash.py", CRASH))
    job = executor.held[0]
    page.evaluate("window.stillThisPage = true")
    executor.release()
    failed = page.locator(f"#job-{job}[data-state=failed]")
    failed.wait_for(timeout=WAIT_MS)
    assert page.evaluate("window.stillThisPage") is True
    assert "crashed" in failed.inner_text() and "KeyError: 'Age'" in failed.inner_text()
    tail = failed.locator("pre.stderr")
    assert "Traceback" in tail.inner_text()
    assert "<script>alert('x')</script>" in tail.inner_text()  # shown as text...
    assert tail.locator("script, b").count() == 0  # ...never as markup
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # fits a phone
    ctx.close()
