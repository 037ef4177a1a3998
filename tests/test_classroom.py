"""A class that runs itself: the class first in every list a learner sees, the built-in
catalog hidden when the host says so, and the teacher's learners x challenges table."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import event

from trackrecord import classroom, hosting
from trackrecord.bundle import Bundle
from trackrecord.errors import NotFound
from trackrecord.service import Service
from trackrecord.settings import Settings, load_settings
from trackrecord.store.models import User
from trackrecord.web.accounts import set_role

from .conftest import FakeCatalog, regression_file
from .test_web_support import (
    LOCAL,
    api_token,
    bad_submission,
    bearer,
    client_for,
    hosted,
    signup,
)

T0 = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(settings: Settings, catalog: FakeCatalog, clock: Clock) -> Iterator[Service]:
    with Service(hosted(settings), catalog=catalog, clock=clock) as service:
        yield service


def _user(svc: Service, name: str, role: str = "learner", display: str | None = None) -> int:
    with svc.session(write_lock=True) as s:
        user = User(username=name, role=role, display_name=display)
        s.add(user)
        s.flush()
        return user.id


def _host_copy(svc: Service, project: str, slug: str, by: int, **settings: object) -> None:
    hosting.create_from_catalog(
        svc,
        project,
        slug=slug,
        created_by=by,
        settings=hosting.ChallengeSettings(**settings),  # type: ignore[arg-type]
    )


def _send(svc: Service, user: int, slug: str, bundle: Bundle, tmp: Path, offset: float) -> None:
    svc.submit(user, slug, regression_file(tmp / f"u{user}-{offset}.csv", bundle, offset))


def _invalid(svc: Service, user: int, slug: str, tmp: Path) -> None:
    from trackrecord.errors import InvalidSubmission

    with pytest.raises(InvalidSubmission):
        svc.submit(user, slug, bad_submission(tmp / "bad.csv"))


def _cell(table: classroom.ClassTable, username: str, challenge: str) -> classroom.Cell:
    learner = next(row for row in table.learners if row.username == username)
    column = [c.id for c in table.challenges].index(challenge)
    return learner.cells[column]


# The teacher's table ------------------------------------------------------------------


def test_table_counts_what_the_learners_did(
    svc: Service, clock: Clock, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    hana, other = _user(svc, "hana", "host"), _user(svc, "otto", "host")
    ada, bo, _cy = _user(svc, "ada"), _user(svc, "bo"), _user(svc, "cy")
    _host_copy(svc, "toy-reg", "class-reg", hana)
    _host_copy(svc, "toy-cls", "class-cls", hana)
    _host_copy(svc, "toy-reg", "otto-reg", other)
    reg = bundles["toy-reg"]
    _send(svc, ada, "class-reg", reg, tmp_path, 0.5)
    clock.tick(minutes=5)
    _send(svc, ada, "class-reg", reg, tmp_path, 0.25)
    clock.tick(minutes=5)
    _invalid(svc, ada, "class-reg", tmp_path)
    ada_last = clock.now
    clock.tick(hours=1)
    _send(svc, bo, "class-reg", reg, tmp_path, 1.5)
    result = svc.finalize(bo, "class-reg")
    clock.tick(minutes=1)
    _send(svc, bo, "class-reg", reg, tmp_path, 0.1)  # practice: after finalizing
    _send(svc, bo, "otto-reg", reg, tmp_path, 0.1)  # another host's challenge

    table = classroom.class_table(svc, hosting.Actor(hana))
    assert [c.id for c in table.challenges] == ["class-cls", "class-reg"]
    assert [r.username for r in table.learners] == ["ada", "bo", "cy"]
    a = _cell(table, "ada", "class-reg")
    assert (a.submissions, a.invalid, a.practice) == (2, 1, 0)
    assert a.best_public == pytest.approx(0.25)  # rmse: lower is better
    assert a.private_score is None and a.medal is None and not a.finalized  # not due
    assert a.last_activity == ada_last
    b = _cell(table, "bo", "class-reg")
    assert (b.submissions, b.invalid, b.practice) == (1, 0, 1)
    assert b.best_public == pytest.approx(1.5)  # the practice 0.1 is not the judged best
    assert b.finalized and b.private_score == pytest.approx(result.private_score)
    assert b.medal == result.medal and b.medal is not None
    assert b.last_activity == clock.now
    assert not _cell(table, "cy", "class-reg").started
    assert not _cell(table, "ada", "class-cls").started
    assert table.learners[0].last_activity == ada_last

    everything = classroom.class_table(svc, hosting.Actor(hana, admin=True))
    assert [c.id for c in everything.challenges] == ["class-cls", "class-reg", "otto-reg"]
    assert _cell(everything, "bo", "otto-reg").submissions == 1
    assert classroom.class_table(svc, hosting.Actor(ada)).challenges == ()


def test_private_scores_appear_after_the_deadline_for_everyone(
    svc: Service, clock: Clock, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    hana, ada = _user(svc, "hana", "host"), _user(svc, "ada")
    _host_copy(svc, "toy-reg", "timed", hana, deadline=T0 + timedelta(days=1))
    _send(svc, ada, "timed", bundles["toy-reg"], tmp_path, 0.75)
    before = _cell(classroom.class_table(svc, hosting.Actor(hana)), "ada", "timed")
    assert before.best_public == pytest.approx(0.75) and before.private_score is None
    clock.tick(days=2)
    table = classroom.class_table(svc, hosting.Actor(hana))
    after = _cell(table, "ada", "timed")
    # Every row is off by 0.75, so the private RMSE is 0.75 too: the private board's value.
    assert after.private_score == pytest.approx(0.75) and not after.finalized
    assert table.challenges[0].private_due


def _statements(svc: Service, actor: hosting.Actor) -> int:
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(svc.engine, "before_cursor_execute", count)
    try:
        classroom.class_table(svc, actor)
    finally:
        event.remove(svc.engine, "before_cursor_execute", count)
    return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])


def test_the_table_costs_the_same_queries_for_a_large_class(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    hana = _user(svc, "hana", "host")
    _host_copy(svc, "toy-reg", "class-reg", hana)
    _host_copy(svc, "toy-cls", "class-cls", hana)
    first = _user(svc, "l00")
    _send(svc, first, "class-reg", bundles["toy-reg"], tmp_path, 0.5)
    small = _statements(svc, hosting.Actor(hana))
    assert small > 0
    for i in range(1, 12):
        user = _user(svc, f"l{i:02d}")
        _send(svc, user, "class-reg", bundles["toy-reg"], tmp_path, 0.5 + i / 100)
        if i % 3 == 0:
            svc.finalize(user, "class-reg")
    table = classroom.class_table(svc, hosting.Actor(hana))
    assert len(table.learners) == 12 and _cell(table, "l03", "class-reg").finalized
    assert _statements(svc, hosting.Actor(hana)) == small


def test_csv_has_a_row_per_learner_and_challenge(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    hana = _user(svc, "hana", "host")
    ada, _eve = _user(svc, "ada"), _user(svc, "eve", display="=HYPERLINK(1)")
    _host_copy(svc, "toy-reg", "class-reg", hana)
    _host_copy(svc, "toy-cls", "class-cls", hana)
    _send(svc, ada, "class-reg", bundles["toy-reg"], tmp_path, 0.5)
    svc.finalize(ada, "class-reg")
    table = classroom.class_table(svc, hosting.Actor(hana))
    rows = list(csv.DictReader(io.StringIO(classroom.export_csv(table))))
    assert tuple(rows[0]) == classroom.CSV_COLUMNS
    assert [(r["username"], r["challenge"]) for r in rows] == [
        ("ada", "class-cls"), ("ada", "class-reg"), ("eve", "class-cls"), ("eve", "class-reg"),
    ]  # fmt: skip
    done = rows[1]
    cell = _cell(table, "ada", "class-reg")
    assert float(done["best_public"]) == cell.best_public == pytest.approx(0.5)
    assert float(done["private_score"]) == cell.private_score
    assert done["medal"] == cell.medal and done["finalized"] == "1"
    assert done["submissions"] == "1" and done["invalid"] == "0"
    assert datetime.fromisoformat(done["last_activity"]) == cell.last_activity
    idle = rows[3]
    assert idle["submissions"] == "0" and idle["best_public"] == idle["private_score"] == ""
    assert idle["display_name"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet


# The class first and the hidden catalog (service) -------------------------------------


def test_the_class_comes_first_and_filters(svc: Service) -> None:
    hana, ada = _user(svc, "hana", "host"), _user(svc, "ada")
    _host_copy(svc, "toy-reg", "class-reg", hana)
    ids = [e.project.id for e in svc.list_catalog(ada)]
    assert ids == ["class-reg", "toy-reg", "toy-cls"]
    assert [e.project.id for e in svc.list_catalog(ada, origin="class")] == ["class-reg"]
    assert [e.project.id for e in svc.list_catalog(ada, origin="builtin")] == ["toy-reg", "toy-cls"]
    svc.start(ada, "toy-reg", tmp_dest := svc.settings.home / "ws")  # not hidden: allowed
    assert tmp_dest.is_dir()


def test_a_hidden_builtin_catalog_is_hidden_from_learners_everywhere(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    hidden = dataclasses.replace(hosted(settings), hide_builtin_catalog=True)
    with Service(hidden, catalog=catalog) as svc:
        hana, ada = _user(svc, "hana", "host"), _user(svc, "ada")
        _host_copy(svc, "toy-reg", "class-reg", hana)
        assert [e.project.id for e in svc.list_catalog(ada)] == ["class-reg"]
        assert [e.project.id for e in svc.list_catalog(hana)] == ["class-reg", "toy-reg", "toy-cls"]
        assert svc.status(ada).total_projects == 1
        from trackrecord.service.path import recommended_ids

        assert recommended_ids(svc, ada) <= {"class-reg"}
        for refused in (
            lambda: svc.start(ada, "toy-reg", tmp_path / "ws"),
            lambda: svc.submit(
                ada, "toy-reg", regression_file(tmp_path / "a.csv", bundles["toy-reg"])
            ),
            lambda: svc.project_report(ada, "toy-cls"),
        ):
            with pytest.raises(NotFound, match="lists only the challenges of its class"):
                refused()
        svc.submit(ada, "class-reg", regression_file(tmp_path / "b.csv", bundles["toy-reg"]))
        svc.submit(hana, "toy-reg", regression_file(tmp_path / "c.csv", bundles["toy-reg"]))


def test_the_setting_reads_from_the_environment(home: Path) -> None:
    env = {"TRACKRECORD_HIDE_BUILTIN_CATALOG": "yes"}
    assert load_settings(environ=env).hide_builtin_catalog
    assert not load_settings(environ={}).hide_builtin_catalog


# Through the web ----------------------------------------------------------------------


def _as(app_client: TestClient) -> TestClient:
    """Another browser on the same app (its own cookies)."""
    return TestClient(app_client.app, base_url=str(app_client.base_url))


def _class_server(
    settings: Settings, catalog: FakeCatalog, **changes: object
) -> tuple[TestClient, TestClient, TestClient]:
    """The host's browser and two learners' (ada, bob), a class challenge `class-reg`."""
    host = client_for(hosted(settings, **changes), catalog, base_url=LOCAL)
    signup(host, "hana")
    svc: Service = host.app.state.web.service  # type: ignore[attr-defined]
    with svc.session() as s:
        set_role(s, "hana", "host")
    with svc.session() as s:
        hana = s.query(User).filter_by(username="hana").one().id
    _host_copy(svc, "toy-reg", "class-reg", hana)
    ada, bo = _as(host), _as(host)
    signup(ada, "ada")
    signup(bo, "bob")
    return host, ada, bo


def test_class_page_and_csv_through_the_web(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    host, ada, bo = _class_server(settings, catalog)
    good = regression_file(tmp_path / "good.csv", bundles["toy-reg"], 0.5)
    sent = ada.post(
        "/api/v1/challenges/class-reg/submissions",
        files={"file": ("good.csv", good.read_bytes())},
        headers=bearer(api_token(ada, "ada")),
    )
    assert sent.status_code == 201
    page = host.get("/host/class")
    assert page.status_code == 200
    assert "ada" in page.text and "bob" in page.text and "class-reg" in page.text
    assert "0.5" in page.text and 'href="/host/class.csv"' in page.text
    assert 'href="/host/class"' in host.get("/host").text
    exported = host.get("/host/class.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {(r["username"], r["submissions"]) for r in rows} == {("ada", "1"), ("bob", "0")}
    for path in ("/host/class", "/host/class.csv"):
        assert bo.get(path).status_code == 403


def test_the_host_sees_why_a_file_was_invalid_and_other_learners_do_not(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    host, ada, bo = _class_server(settings, catalog)
    token = api_token(ada, "ada")
    bad = bad_submission(tmp_path / "mine-bad.csv").read_bytes()
    sent = ada.post(
        "/api/v1/challenges/class-reg/submissions",
        files={"file": ("mine-bad.csv", bad)},
        headers=bearer(token),
    )
    assert sent.status_code == 422
    svc: Service = host.app.state.web.service  # type: ignore[attr-defined]
    records = hosting.all_submissions(svc, "class-reg", actor=hosting.Actor(None, admin=True))
    reasons = records[0].problems
    assert records[0].status == "invalid" and reasons
    shown = host.get("/host/challenges/class-reg").text
    for reason in reasons:
        assert escape(reason) in shown
    assert "why #" in shown
    for path in ("/projects/class-reg", "/projects/class-reg/leaderboard", "/host/class"):
        page = bo.get(path).text
        assert all(escape(r) not in page for r in reasons), path
    assert bo.get("/host/challenges/class-reg").status_code == 403
    theirs = bo.get(
        "/api/v1/challenges/class-reg/submissions", headers=bearer(api_token(bo, "bob"))
    )
    assert theirs.json()["submissions"] == []


def test_the_catalog_page_puts_the_class_first_and_filters(
    settings: Settings, catalog: FakeCatalog
) -> None:
    _host, ada, _bo = _class_server(settings, catalog)

    def cards(path: str) -> str:  # the listed projects (the ladder above draws them all)
        return ada.get(path).text.split("</details>", 1)[-1]

    page = cards("/")
    assert page.index('href="/projects/class-reg"') < page.index('href="/projects/toy-reg"')
    assert "From your class (1)" in page and "Built-in (2)" in page
    only = cards("/?origin=class")
    assert 'href="/projects/class-reg"' in only and 'href="/projects/toy-reg"' not in only
    built = cards("/?origin=builtin")
    assert 'href="/projects/class-reg"' not in built and 'href="/projects/toy-cls"' in built
    listed = ada.get("/api/v1/catalog", headers=bearer(api_token(ada, "ada"))).json()
    assert listed["projects"][0]["project"]["id"] == "class-reg"


def test_a_hidden_catalog_through_the_web(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    host, ada, _bo = _class_server(settings, catalog, hide_builtin_catalog=True)
    token = api_token(ada, "ada")
    page = ada.get("/").text
    assert 'href="/projects/class-reg"' in page
    assert 'href="/projects/toy-reg"' not in page and 'href="/projects/toy-cls"' not in page
    assert "Built-in" not in page  # nothing to filter
    listed = ada.get("/api/v1/catalog", headers=bearer(token)).json()["projects"]
    assert [e["project"]["id"] for e in listed] == ["class-reg"]
    assert ada.get("/projects/toy-reg").status_code == 404
    assert ada.get("/projects/toy-reg/data.zip").status_code == 404
    assert ada.get("/api/v1/challenges/toy-reg", headers=bearer(token)).status_code == 404
    assert ada.get("/api/v1/challenges/toy-reg/download", headers=bearer(token)).status_code == 404
    good = regression_file(tmp_path / "good.csv", bundles["toy-reg"]).read_bytes()
    refused = ada.post(
        "/api/v1/challenges/toy-reg/submissions",
        files={"file": ("good.csv", good)},
        headers=bearer(token),
    )
    assert refused.status_code == 404
    error = refused.json()["error"]
    assert error["code"] == "not_found" and "lists only the challenges" in error["message"]
    assert 'href="/projects/toy-reg"' not in ada.get("/profile").text
    assert 'href="/projects/toy-reg"' in host.get("/").text  # hosts still see it
    assert "hidden from them" in host.get("/host/class").text
