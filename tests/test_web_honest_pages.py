"""The pages keep DESIGN.md's "Grades you can trust": public estimates against public lines
while a learner works, finalizing asked for before it happens, practice labelled as such,
and the private lines, the private board and the reference code revealed afterwards."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from trackrecord.bundle import Bundle, Thresholds
from trackrecord.mastery import SkillEstimate
from trackrecord.service import Service, SubmissionView
from trackrecord.settings import Settings
from trackrecord.web.highlight import code_html
from trackrecord.web.plot import LINES, history_figure, skills_figure

from .conftest import FakeCatalog, Spec, write_toy_bundle
from .test_web_support import bad_submission, bundle_zip, client_for, csrf, split_submission

PRIVATE_LINES = Thresholds(3.01, 2.02, 1.03)  # rmse: lower is better
PUBLIC_LINES = Thresholds(3.21, 2.22, 1.23)
PRIVATE_SCORE = 2.4321  # between the private baseline and reference: bronze
MARK = "# REFERENCE-PIPELINE-MARK"
REFERENCE = f'{MARK}\nimport pandas as pd\n\n\ndef predict(train):\n    return "a<b"\n'


@pytest.fixture
def toy(tmp_path: Path) -> dict[str, Bundle]:
    dest = tmp_path / "honest"
    reg = write_toy_bundle(
        dest, Spec(thresholds=PRIVATE_LINES, public_thresholds=PUBLIC_LINES, siblings=())
    )
    (reg.root / "private" / "reference.py").write_text(REFERENCE)
    other = write_toy_bundle(dest, Spec(id="toy-two", siblings=()))
    return {"toy-reg": reg, "toy-two": other}


@pytest.fixture
def client(settings: Settings, toy: dict[str, Bundle]) -> Iterator[TestClient]:
    with client_for(settings, FakeCatalog(list(toy.values()))) as c:
        yield c


def _service(client: TestClient) -> Service:
    svc: Service = client.app.state.web.service  # type: ignore[attr-defined]
    return svc


def _submit(client: TestClient, path: Path, name: str = "s.csv") -> TestClient:
    return client.post(  # type: ignore[return-value]
        "/projects/toy-reg/submit",
        data={"csrf_token": csrf(client, "/projects/toy-reg")},
        files={"file": (name, path.read_bytes())},
    )


def _good(client: TestClient, toy: dict[str, Bundle], tmp: Path, public: float = 0.25) -> str:
    path = split_submission(tmp / f"g{public}.csv", toy["toy-reg"], public, PRIVATE_SCORE)
    response = _submit(client, path)
    assert response.status_code == 200
    return str(response.text)


def _finalize(client: TestClient, **extra: str) -> TestClient:
    data = {"csrf_token": csrf(client, "/projects/toy-reg"), "confirm": "yes", **extra}
    return client.post("/projects/toy-reg/finalize", data=data)  # type: ignore[return-value]


def _private_values() -> list[str]:
    return [f"{v:.6g}" for v in (*PRIVATE_LINES.__dict__.values(), PRIVATE_SCORE)]


def test_estimates_compare_public_scores_with_public_lines(
    client: TestClient, toy: dict[str, Bundle], tmp_path: Path
) -> None:
    page = _good(client, toy, tmp_path)
    assert "on the public split" in page
    for value in (PUBLIC_LINES.baseline, PUBLIC_LINES.reference, PUBLIC_LINES.gold):
        assert f"{value:.6g}" in page
    for secret in _private_values():
        assert secret not in page, f"{secret} shown before finalizing"
    assert MARK not in page and "Reference pipeline" not in page
    # Step 3 quotes the reference on the public split; the estimate says what it compares.
    assert re.search(r"reference scores <strong>2\.22</strong> on the public split", page)
    assert "gold reached" in page and "(public score vs the public lines)" in page
    svg = client.get("/projects/toy-reg/history.svg").text
    assert "public split" in svg and "silver: reach the reference (public)" in svg
    assert "private" not in svg


def test_finalize_says_what_will_be_judged_and_asks_first(
    client: TestClient, toy: dict[str, Bundle], tmp_path: Path
) -> None:
    _good(client, toy, tmp_path, public=0.5)
    _good(client, toy, tmp_path, public=0.25)
    svc = _service(client)
    me = svc.local_user_id()
    ids = [s.id for s in svc.submissions(me, "toy-reg")]
    token = csrf(client, "/projects/toy-reg")
    asked = client.post(
        "/projects/toy-reg/finalize",
        data={"csrf_token": token, "pick": str(ids[0])},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/projects/toy-reg/finalize?pick={ids[0]}"
    confirm = client.get(asked.headers["location"]).text
    assert "What will be judged" in confirm and "Finalize now" in confirm
    assert "#1" in confirm and "0.5" in confirm and "#2</td>" not in confirm
    assert "The 1 submission(s) you picked" in confirm and "best private score" in confirm
    assert f'name="pick" value="{ids[0]}"' in confirm and 'name="confirm" value="yes"' in confirm
    assert "public score vs the public lines" in confirm
    assert not any(secret in confirm for secret in _private_values())
    assert svc.project_report(me, "toy-reg").state == "started"  # nothing happened yet
    # None ticked: the best public submission, named explicitly in the confirmation form.
    default = client.get("/projects/toy-reg/finalize").text
    assert "#2" in default and f'name="pick" value="{ids[1]}"' in default
    done = _finalize(client, pick=str(ids[0]))
    assert done.status_code == 200 and done.url.path == "/projects/toy-reg"
    assert svc.project_report(me, "toy-reg").state == "finalized"
    again = client.get("/projects/toy-reg/finalize")
    assert again.status_code == 409 and "already finalized" in again.text


def test_after_finalizing_the_private_lines_board_and_reference_code_show(
    client: TestClient, toy: dict[str, Bundle], tmp_path: Path
) -> None:
    _good(client, toy, tmp_path)
    page = _finalize(client).text
    result = page[page.index('id="final-result"') : page.index('id="submit"')]
    for secret in _private_values():
        assert secret in result
    assert "private line" in result and "public line" in result
    assert '<span class="medal big bronze">bronze</span>' in result
    assert "1st of 1" in result and "learner(s) who finalized" in result
    assert re.search(r"of 4 among the reference models[^.]*, private split", result)
    reference = page[page.index('id="reference"') :]
    assert MARK in reference and "&lt;b" in reference and "a<b" not in reference
    assert "<span style=" in reference  # highlighted by pygments
    assert 'code is <a href="#reference">below</a>' in page  # step 3 points to it
    assert "Medal estimate" not in page


def test_practice_after_finalizing_is_labelled_and_never_claims_a_medal(
    client: TestClient, toy: dict[str, Bundle], tmp_path: Path
) -> None:
    _good(client, toy, tmp_path, public=2.5)
    _finalize(client)
    page = _good(client, toy, tmp_path, public=0.1)  # public gold, as practice
    assert "gold reached" not in page and "Medal estimate" not in page
    notice = page[page.index('id="submitted"') : page.index("</div>", page.index('id="submitted"'))]
    assert "practice" in notice and "#2" in notice and "never changes your medal (bronze" in notice
    assert re.search(r'<tr class="[^"]*practice" id="sub-2">', page)
    assert 'id="practice-note"' in page and "Submit for practice" in page
    assert '<span class="medal big bronze">bronze</span>' in page  # the medal did not move
    svc = _service(client)
    assert svc.results(svc.local_user_id(), "toy-reg").medal == "bronze"
    assert (
        "practice (after finalizing; never counts)"
        in client.get("/projects/toy-reg/history.svg").text
    )


def test_history_numbers_submissions_and_keeps_the_invalid_reason(
    client: TestClient, toy: dict[str, Bundle], tmp_path: Path
) -> None:
    bad = _submit(client, bad_submission(tmp_path / "bad.csv"), "bad.csv")
    assert bad.status_code == 422
    page = _good(client, toy, tmp_path)
    why = re.search(r'<ul class="problems" aria-label="why #1 was not scored">(.*?)</ul>', page)
    assert why and "not a number" in why.group(1) and "bad.csv" in why.group(1)
    assert "<td>#1</td>" in page and "<td>#2</td>" in page
    assert 'aria-label="pick submission #2"' in page
    svg = client.get("/projects/toy-reg/history.svg").text
    assert "<!-- #2 -->" in svg and "<!-- #1 -->" not in svg  # x axis: numbers of scored ones


def _sub(number: int, score: float, practice: bool = False) -> SubmissionView:
    return SubmissionView(
        id=100 + number, project_id="p", created_at=datetime(2030, 1, 1), filename="f.csv",
        sha256="0" * 64, size_bytes=1, status="scored", public_score=score, rows=1,
        problems=(), number=number, practice=practice,
    )  # fmt: skip


def _drawn(fig: Figure) -> object:
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()  # type: ignore[attr-defined]


def test_plot_lines_have_distinct_colours_and_the_legend_covers_none() -> None:
    assert len({to_hex(color) for _, color, _, _ in LINES}) == 3
    subs = [_sub(1, 2.4), _sub(2, 1.5), _sub(4, 1.0), _sub(5, 0.8, practice=True)]
    fig = history_figure(subs, PUBLIC_LINES, False, "rmse")
    renderer = _drawn(fig)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    drawn = {
        label.split(" (")[0]: (to_hex(line.get_color()), line.get_ydata()[0])
        for label, line in lines.items()
        if label.endswith("(public)")
    }
    assert [v for _, v in drawn.values()] == [3.21, 2.22, 1.23]
    assert len({c for c, _ in drawn.values()}) == 3
    legend = fig.legends[0].get_window_extent(renderer)
    assert not legend.overlaps(ax.get_window_extent(renderer)), "the legend covers the plot"
    assert fig.bbox.contains(legend.x0, legend.y0) and fig.bbox.contains(legend.x1, legend.y1)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["#1", "#2", "#4", "#5"]


def test_skills_chart_labels_are_not_clipped() -> None:
    names = ["dimensionality-reduction", "hyperparameter-tuning", "feature-engineering"]
    for count in (1, 3):
        fig = skills_figure([SkillEstimate(n, 0.4, 0.1, 0.8, 3, None) for n in names[:count]])
        renderer = _drawn(fig)
        box = fig.bbox
        texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]
        assert any("90% interval" in t.get_text() for t in texts)
        for text in texts:
            if not text.get_visible():
                continue
            e = text.get_window_extent(renderer)
            inside = e.x0 >= box.x0 - 0.5 and e.x1 <= box.x1 + 0.5 and e.y0 >= box.y0 - 0.5
            assert inside and e.y1 <= box.y1 + 0.5, f"{text.get_text()!r} is clipped"


def test_profile_progress_counts_the_projects_that_exist(
    client: TestClient, toy: dict[str, Bundle], tmp_path: Path
) -> None:
    before = client.get("/profile").text
    assert "0 of 2 projects finalized" in before and "Toward 100" not in before
    _good(client, toy, tmp_path)
    _finalize(client)
    _good(client, toy, tmp_path, public=0.1)  # practice, counted apart
    svc = _service(client)
    svc.add_challenge(bundle_zip(toy["toy-two"], tmp_path / "c.zip", new_id="class-two"))
    after = client.get("/profile").text
    assert "1 of 3 projects finalized" in after and 'aria-valuemax="3"' in after
    row = re.search(r'<a href="/projects/toy-reg">.*?</tr>', after, re.S)
    assert row and '<td class="num">1</td><td class="num">1</td>' in row.group(0)


def test_reference_code_without_pygments_is_a_plain_pre(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygments", None)
    html = str(code_html(REFERENCE))
    assert html.startswith('<pre class="code"><code>') and "&#34;a&lt;b&#34;" in html
    assert "<span" not in html
