"""Leaderboard ranks, ties, reference rows and when the private board is shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trackrecord import leaderboard
from trackrecord.leaderboard import Candidate, rank
from trackrecord.service import Service
from trackrecord.store.models import Challenge, User

from .conftest import regression_file

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def cand(uid: int, score: float, minutes: int) -> Candidate:
    return Candidate(uid, f"u{uid}", None, score, T0 + timedelta(minutes=minutes), 1)


def test_ranks_higher_is_better_with_ties_sharing_a_rank_earliest_first() -> None:
    rows = rank([cand(1, 0.8, 5), cand(2, 0.9, 9), cand(3, 0.8, 1), cand(4, 0.7, 0)], True)
    assert [(r.rank, r.user_id) for r in rows] == [(1, 2), (2, 3), (2, 1), (4, 4)]


def test_ranks_lower_is_better() -> None:
    rows = rank([cand(1, 2.0, 0), cand(2, 1.0, 1), cand(3, 3.0, 2)], False)
    assert [(r.rank, r.user_id) for r in rows] == [(1, 2), (2, 1), (3, 3)]


def test_float_noise_does_not_split_a_tie() -> None:
    rows = rank([cand(1, 0.1 + 0.2, 3), cand(2, 0.3, 1)], True)
    assert [r.rank for r in rows] == [1, 1]
    assert rows[0].user_id == 2


def test_reference_rows_are_placed_by_score_and_take_no_rank() -> None:
    rows = rank([cand(1, 0.9, 0), cand(2, 0.7, 1)], True, [("tree", 0.8), ("majority", 0.5)])
    assert [(r.name, r.rank, r.is_reference) for r in rows] == [
        ("u1", 1, False),
        ("tree", None, True),
        ("u2", 2, False),
        ("majority", None, True),
    ]


def test_reference_tied_with_learner_is_listed_after() -> None:
    rows = rank([cand(1, 0.8, 0)], True, [("tree", 0.8)])
    assert [r.name for r in rows] == ["u1", "tree"]


def _user(svc: Service, name: str) -> int:
    with svc.session() as s:
        user = User(username=name, role="learner", password_hash="x")
        s.add(user)
        s.flush()
        return user.id


def _submit(svc: Service, uid: int, bundle, tmp: Path, offset: float) -> None:  # type: ignore[no-untyped-def]
    path = regression_file(tmp / f"s{uid}-{offset}.csv", bundle, offset)
    svc.submit(uid, "toy-reg", path)


def _board(svc: Service, bundle, now: datetime):  # type: ignore[no-untyped-def]
    with svc.session() as s:
        row = s.query(Challenge).filter_by(slug="toy-reg").one()
        return leaderboard.build(s, row, bundle.challenge.field, now)


def test_public_board_best_per_user_and_no_private_before_finalize(
    service: Service,
    bundles,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    a, b = _user(service, "ann"), _user(service, "bob")
    _submit(service, a, bundles["toy-reg"], tmp_path, 2.0)
    _submit(service, a, bundles["toy-reg"], tmp_path, 0.5)
    _submit(service, b, bundles["toy-reg"], tmp_path, 1.0)
    board = _board(service, bundles["toy-reg"], service.now())
    learners = [r for r in board.public if not r.is_reference]
    assert [(r.name, r.rank, r.score, r.submissions) for r in learners] == [
        ("ann", 1, pytest.approx(0.5), 2),
        ("bob", 2, pytest.approx(1.0), 1),
    ]
    assert [r.name for r in board.public if r.is_reference] == ["boosting", "linear", "mean"]
    # Self-paced: nobody finalized, so the private board has only the reference models.
    assert board.private is not None
    assert all(r.is_reference for r in board.private)
    service.finalize(b, "toy-reg")
    board = _board(service, bundles["toy-reg"], service.now())
    assert [r.name for r in board.private if not r.is_reference] == ["bob"]


def test_private_board_waits_for_the_deadline(
    service: Service,
    bundles,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    a = _user(service, "ann")
    _submit(service, a, bundles["toy-reg"], tmp_path, 0.5)
    deadline = service.now() + timedelta(days=1)
    with service.session() as s:
        s.query(Challenge).filter_by(slug="toy-reg").one().deadline = deadline
    before = _board(service, bundles["toy-reg"], deadline - timedelta(seconds=1))
    assert before.private is None
    assert "deadline" in before.private_note
    after = _board(service, bundles["toy-reg"], deadline)
    assert after.private is not None
    assert [r.name for r in after.private if not r.is_reference] == ["ann"]


def test_a_page_shows_its_rows_and_the_viewers_own_row_from_elsewhere() -> None:
    from markupsafe import Markup

    from trackrecord.web.views import leaderboard as view

    rows = [leaderboard.Row(i + 1, f"u{i}", float(i), user_id=i) for i in range(250)]
    html = [Markup(f"<tr>{r.name}</tr>") for r in rows]
    first, mine = view.page_of(rows, html, 1, me_id=180)
    assert first == html[:100] and mine == [html[180]]
    second, mine = view.page_of(rows, html, 2, me_id=180)
    assert second == html[100:200] and mine == []  # already on this page
    third, mine = view.page_of(rows, html, 3, me_id=5)
    assert third == html[200:] and mine == [html[5]]


def test_practice_after_finalizing_never_enters_the_boards(
    service: Service,
    bundles,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    a, b = _user(service, "ann"), _user(service, "bob")
    _submit(service, a, bundles["toy-reg"], tmp_path, 1.0)
    _submit(service, b, bundles["toy-reg"], tmp_path, 0.8)
    service.finalize(a, "toy-reg")
    _submit(service, a, bundles["toy-reg"], tmp_path, 0.1)  # practice: better than anyone
    board = _board(service, bundles["toy-reg"], service.now())
    learners = [(r.name, r.score, r.submissions) for r in board.public if not r.is_reference]
    assert learners == [("bob", pytest.approx(0.8), 1), ("ann", pytest.approx(1.0), 1)]
    assert board.private is not None
    private = [(r.name, r.score) for r in board.private if not r.is_reference]
    assert private == [("ann", pytest.approx(1.0))]
