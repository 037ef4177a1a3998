"""Teams: one quota, one board row, one set of picks and one finalization for all members;
join codes, the merge rule, nothing after the deadline; on SQLite and PostgreSQL (the
`settings` fixture is parametrized)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import FakeCatalog, regression_file
from trackrecord import leaderboard
from trackrecord.bundle import Bundle
from trackrecord.errors import Conflict, InvalidBundle, NotFound, QuotaExceeded
from trackrecord.hosting import ChallengeSettings
from trackrecord.service import Service, teams
from trackrecord.settings import Settings
from trackrecord.store.entrants import entrant_of
from trackrecord.store.models import Challenge, Finalization, Submission, Team, User

START = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def svc(settings: Settings, catalog: FakeCatalog, clock: Clock) -> Iterator[Service]:
    with Service(settings, catalog=catalog, clock=clock) as service:
        _configure(service, team_size=3)
        yield service


def _configure(svc: Service, **values: object) -> None:
    with svc.session(write_lock=True) as s:
        row = svc.challenge_row(s, "toy-reg")
        row.created_at = START
        for name, value in values.items():
            setattr(row, name, value)


def _user(svc: Service, name: str) -> int:
    with svc.session() as s:
        user = User(username=name, role="learner", password_hash="x")
        s.add(user)
        s.flush()
        return user.id


def _send(svc: Service, uid: int, bundle: Bundle, tmp: Path, offset: float) -> int:
    path = regression_file(tmp / f"s{uid}-{offset}.csv", bundle, offset)
    return svc.submit(uid, "toy-reg", path).submission.id


def _team(svc: Service, *uids: int, name: str = "owls") -> str:
    """A team of `uids` (the first creates it); returns its code."""
    made = teams.create_team(svc, uids[0], "toy-reg", name)
    assert made.team is not None
    for uid in uids[1:]:
        teams.join_team(svc, uid, "toy-reg", made.team.code)
    return made.team.code


def _board(svc: Service, bundle: Bundle) -> leaderboard.Leaderboard:
    with svc.session() as s:
        row = s.scalars(select(Challenge).where(Challenge.slug == "toy-reg")).one()
        return leaderboard.build(s, row, bundle.challenge.field, svc.now())


def _learners(rows: tuple[leaderboard.Row, ...] | None) -> list[leaderboard.Row]:
    assert rows is not None
    return [r for r in rows if not r.is_reference]


# The shared quota ------------------------------------------------------------------------


def test_members_share_one_daily_quota_exactly(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path, clock: Clock
) -> None:
    a, b, c = (_user(svc, n) for n in ("ann", "bob", "cyd"))
    _team(svc, a, b)
    path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.0)
    lefts = [svc.submit(who, "toy-reg", path).left_today for who in (a, b, a, b, b)]
    assert lefts == [4, 3, 2, 1, 0]
    for who in (a, b):
        with pytest.raises(QuotaExceeded, match="your team owls has used all 5 submissions"):
            svc.submit(who, "toy-reg", path)
    assert svc.submit(c, "toy-reg", path).left_today == 4  # a learner alone has their own
    with svc.session() as s:
        scored = s.scalars(select(Submission).where(Submission.status == "scored")).all()
    assert sum(x.user_id in (a, b) for x in scored) == 5
    clock.now = START + timedelta(days=1)
    assert svc.submit(b, "toy-reg", path).left_today == 4


def test_two_members_racing_for_the_last_slot_get_it_once(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    """On both databases: the lock takes the team's row, not only each member's own."""
    a, b = _user(svc, "ann"), _user(svc, "bob")
    _team(svc, a, b)
    path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.0)
    for who in (a, b, a, b):
        svc.submit(who, "toy-reg", path)  # 1 left for the team
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def worker(uid: int) -> None:
        barrier.wait()
        try:
            svc.submit(uid, "toy-reg", path)
            outcomes.append("ok")
        except QuotaExceeded:
            outcomes.append("quota")

    threads = [threading.Thread(target=worker, args=(u,)) for u in (a, b) * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["quota"] * 7
    with svc.session() as s:
        scored = s.scalars(select(Submission.id).where(Submission.status == "scored")).all()
    assert len(scored) == 5


# One board row ------------------------------------------------------------------------


def test_a_team_has_one_row_on_the_public_board(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    a, b, c = (_user(svc, n) for n in ("ann", "bob", "cyd"))
    bundle = bundles["toy-reg"]
    _send(svc, a, bundle, tmp_path, 2.0)  # before the team: becomes the team's
    _team(svc, a, b)
    _send(svc, b, bundle, tmp_path, 1.5)
    _send(svc, a, bundle, tmp_path, 2.9)
    _send(svc, c, bundle, tmp_path, 1.8)
    rows = _learners(_board(svc, bundle).public)
    assert [(r.rank, r.name, round(r.score, 6), r.submissions) for r in rows] == [
        (1, "owls", 1.5, 3),
        (2, "cyd", 1.8, 1),
    ]
    team = rows[0]
    assert team.team == "owls" and team.members == ("ann", "bob")
    assert team.has(a) and team.has(b) and not team.has(c)
    assert team.to_dict()["members"] == ["ann", "bob"]


# Shared picks and one finalization ------------------------------------------------------


def test_picks_are_shared_and_one_finalization_counts_for_every_member(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    a, b = _user(svc, "ann"), _user(svc, "bob")
    bundle = bundles["toy-reg"]
    _team(svc, a, b)
    first = _send(svc, a, bundle, tmp_path, 2.5)
    _send(svc, b, bundle, tmp_path, 1.5)
    svc.select_picks(b, "toy-reg", [first])  # bob picks ann's file
    seen_by_ann = svc.submissions(a, "toy-reg")
    assert [(v.number, v.picked) for v in seen_by_ann] == [(1, True), (2, False)]
    assert svc.finalize_preview(a, "toy-reg").picks[0].id == first
    result = svc.finalize(a, "toy-reg")
    assert result.submission_id == first and result.medal == "bronze"
    with svc.session() as s:
        fins = s.scalars(select(Finalization).order_by(Finalization.user_id)).all()
    assert [(f.user_id, f.submission_id, f.medal) for f in fins] == [
        (a, first, "bronze"),
        (b, first, "bronze"),
    ]
    with pytest.raises(Conflict, match="already finalized"):
        svc.finalize(b, "toy-reg")
    assert svc.results(b, "toy-reg").private_score == result.private_score
    assert (result.learners.rank, result.learners.total) == (1, 1)  # one entrant, not two
    assert [p.id for p in svc.results(b, "toy-reg").picks] == [first]
    practice = svc.submit(b, "toy-reg", regression_file(tmp_path / "p.csv", bundle, 0.5))
    assert practice.practice  # after the team finalized: learning, not competing
    private = _learners(_board(svc, bundle).private)
    assert [(r.name, r.medal) for r in private] == [("owls", "bronze")]


def test_after_the_deadline_the_team_is_judged_on_its_picks_as_one_row(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path, clock: Clock
) -> None:
    _configure(svc, deadline=START + timedelta(days=2))
    a, b, c = (_user(svc, n) for n in ("ann", "bob", "cyd"))
    bundle = bundles["toy-reg"]
    _team(svc, a, b)
    worse = _send(svc, a, bundle, tmp_path, 2.5)
    _send(svc, b, bundle, tmp_path, 1.5)
    _send(svc, c, bundle, tmp_path, 2.0)
    svc.select_picks(a, "toy-reg", [worse])
    assert _board(svc, bundle).private is None
    clock.now = START + timedelta(days=3)
    private = _learners(_board(svc, bundle).private)
    assert [(r.name, round(r.score, 6), r.submissions) for r in private] == [
        ("cyd", 2.0, 1),
        ("owls", 2.5, 2),
    ]
    assert svc.finalize(b, "toy-reg").submission_id == worse


# Join codes, size, leaving --------------------------------------------------------------


def test_join_codes_and_the_team_size(svc: Service) -> None:
    a, b, c, d = (_user(svc, n) for n in ("ann", "bob", "cyd", "dee"))
    code = _team(svc, a, b)
    status = teams.team_status(svc, b, "toy-reg")
    assert status.team is not None and status.team.code == code
    assert status.team.members == ("ann", "bob") and status.enabled and status.open
    assert teams.team_status(svc, d, "toy-reg").team is None
    with pytest.raises(NotFound, match="no team of toy-reg has this code"):
        teams.join_team(svc, c, "toy-reg", "not-a-code")
    with pytest.raises(Conflict, match="you are in team owls already"):
        teams.join_team(svc, b, "toy-reg", code)
    with pytest.raises(Conflict, match="you are in team owls of toy-reg; leave it first"):
        teams.create_team(svc, a, "toy-reg", "larks")
    with pytest.raises(Conflict, match="has a team named 'owls' already"):
        teams.create_team(svc, c, "toy-reg", " owls ")
    with pytest.raises(InvalidBundle, match="team name"):
        teams.create_team(svc, c, "toy-reg", "  ")
    teams.join_team(svc, c, "toy-reg", code)
    with pytest.raises(Conflict, match="would have 4 members; toy-reg allows at most 3"):
        teams.join_team(svc, d, "toy-reg", code)
    with svc.session() as s:
        assert entrant_of(s, c, _row_id(svc)).members == (a, b, c)


def _row_id(svc: Service) -> int:
    with svc.session() as s:
        return s.scalars(select(Challenge.id).where(Challenge.slug == "toy-reg")).one()


def test_codes_belong_to_their_challenge_and_teams_need_a_team_size(svc: Service) -> None:
    a, b = _user(svc, "ann"), _user(svc, "bob")
    code = _team(svc, a)
    with pytest.raises(Conflict, match="toy-cls does not allow teams"):
        teams.join_team(svc, b, "toy-cls", code)
    _configure(svc, team_size=1)
    with pytest.raises(Conflict, match="toy-reg does not allow teams"):
        teams.create_team(svc, b, "toy-reg", "larks")
    assert not teams.team_status(svc, b, "toy-reg").enabled


def test_leaving_only_without_files_and_the_last_member_ends_the_team(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    a, b = _user(svc, "ann"), _user(svc, "bob")
    _team(svc, a, b)
    sub = _send(svc, a, bundle := bundles["toy-reg"], tmp_path, 1.0)
    svc.select_picks(b, "toy-reg", [sub])
    with pytest.raises(Conflict, match="cannot leave team owls: your 1 file"):
        teams.leave_team(svc, a, "toy-reg")
    assert teams.leave_team(svc, b, "toy-reg").team is None
    assert [v.picked for v in svc.submissions(a, "toy-reg")] == [True]  # bob's pick stays
    assert svc.submissions(b, "toy-reg") == []
    assert _learners(_board(svc, bundle).public)[0].members == ("ann",)
    c = _user(svc, "cyd")
    solo = teams.create_team(svc, c, "toy-reg", "larks")
    assert solo.team is not None
    teams.leave_team(svc, c, "toy-reg")
    with svc.session() as s:
        assert s.scalars(select(Team.name)).all() == ["owls"]


# The merge rule ------------------------------------------------------------------------


def test_merge_refused_when_todays_combined_submissions_exceed_one_quota(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path, clock: Clock
) -> None:
    a, b = _user(svc, "ann"), _user(svc, "bob")
    bundle = bundles["toy-reg"]
    for i in range(3):
        _send(svc, a, bundle, tmp_path, 1.0 + i)
        _send(svc, b, bundle, tmp_path, 1.0 + i)
    code = _team(svc, b)
    with pytest.raises(
        Conflict,
        match=r"cannot join team owls: together you have made 6 scored submissions to toy-reg "
        r"today \(UTC\), more than the 5 one team may make in a day",
    ):
        teams.join_team(svc, a, "toy-reg", code)
    clock.now = START + timedelta(days=1)  # 6 in all, 10 possible by now
    assert teams.join_team(svc, a, "toy-reg", code).team is not None


def test_merge_refused_when_the_total_exceeds_what_one_entrant_could_have_made(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path, clock: Clock
) -> None:
    a, b, c = (_user(svc, n) for n in ("ann", "bob", "cyd"))
    bundle = bundles["toy-reg"]
    for i in range(5):
        _send(svc, a, bundle, tmp_path, 1.0 + i)
        _send(svc, b, bundle, tmp_path, 1.0 + i)
    clock.now = START + timedelta(days=1)
    for i in range(5):
        _send(svc, a, bundle, tmp_path, 2.0 + i)
    larks = _team(svc, a, name="larks")  # teams merging: ann's team into bob's
    owls = _team(svc, b, c)
    with pytest.raises(Conflict, match="together you have made 15 scored submissions to toy-reg, "):
        teams.join_team(svc, a, "toy-reg", owls)
    clock.now = START + timedelta(days=2)  # 15 possible by now
    merged = teams.join_team(svc, a, "toy-reg", owls)
    assert merged.team is not None and merged.team.members == ("bob", "cyd", "ann")
    with svc.session() as s:
        assert s.scalars(select(Team.code)).all() == [owls]  # ann's team is gone
    with pytest.raises(NotFound):
        teams.join_team(svc, c, "toy-reg", larks)
    assert _learners(_board(svc, bundle).public)[0].submissions == 15


def test_no_team_changes_once_a_side_finalized(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    a, b = _user(svc, "ann"), _user(svc, "bob")
    _send(svc, a, bundles["toy-reg"], tmp_path, 1.0)
    svc.finalize(a, "toy-reg")
    code = _team(svc, b)
    with pytest.raises(Conflict, match="you finalized toy-reg"):
        teams.join_team(svc, a, "toy-reg", code)


# The deadline ----------------------------------------------------------------------------


def test_nothing_changes_after_the_deadline(svc: Service, clock: Clock) -> None:
    _configure(svc, deadline=START + timedelta(hours=1))
    a, b, c = (_user(svc, n) for n in ("ann", "bob", "cyd"))
    code = _team(svc, a, b)
    clock.now = START + timedelta(hours=2)
    final = "the teams of toy-reg are final since its deadline, 2024-05-01 10:00 UTC"
    with pytest.raises(Conflict, match=final):
        teams.join_team(svc, c, "toy-reg", code)
    with pytest.raises(Conflict, match=final):
        teams.leave_team(svc, b, "toy-reg")
    with pytest.raises(Conflict, match=final):
        teams.create_team(svc, c, "toy-reg", "larks")
    status = teams.team_status(svc, a, "toy-reg")
    assert not status.open and status.team is not None and len(status.team.members) == 2


def test_the_team_size_setting_is_checked() -> None:
    assert ChallengeSettings(team_size=4).problems() == []
    assert ChallengeSettings(team_size=0).problems() == []
    (problem,) = ChallengeSettings(team_size=-1).problems()
    assert problem.column == "team_size"


def test_the_class_table_gives_a_team_result_to_every_member(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path, clock: Clock
) -> None:
    """After the deadline every member's cell shows the team's private score (before, only
    the member whose file counted had one)."""
    from trackrecord import classroom
    from trackrecord.hosting import Actor

    _configure(svc, deadline=START + timedelta(days=2), hosted=True)  # the class's challenge
    a, b = _user(svc, "ann"), _user(svc, "bob")
    bundle = bundles["toy-reg"]
    _team(svc, a, b)
    _send(svc, a, bundle, tmp_path, 1.5)
    clock.now = START + timedelta(days=3)
    table = classroom.class_table(svc, Actor(user_id=0, admin=True))
    column = [c.id for c in table.challenges].index("toy-reg")
    scores = {r.username: r.cells[column].private_score for r in table.learners}
    assert scores["ann"] == pytest.approx(1.5) and scores["bob"] == pytest.approx(1.5)
