"""The service's leaderboard cache is exact: every change a board depends on shows at once,
and an unchanged board is served without being rebuilt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from trackrecord import leaderboard
from trackrecord.bundle import Bundle
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.models import Challenge, Submission, User
from trackrecord.web.data import board

from .conftest import FakeCatalog, regression_file


def _user(svc: Service, name: str) -> int:
    with svc.session(write_lock=True) as s:
        user = User(username=name, role="learner")
        s.add(user)
        s.flush()
        return user.id


def _submit(svc: Service, uid: int, bundle: Bundle, tmp: Path, offset: float) -> None:
    svc.submit(uid, "toy-reg", regression_file(tmp / f"s{uid}-{offset}.csv", bundle, offset))


def _fresh(svc: Service) -> leaderboard.Leaderboard:
    with svc.session() as s:
        row = s.scalars(select(Challenge).where(Challenge.slug == "toy-reg")).one()
        field = svc.bundle("toy-reg").challenge.field
        return leaderboard.build(s, row, field, svc.now())


def test_unchanged_boards_are_reused_and_every_change_shows(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    bundle = bundles["toy-reg"]
    ada, bob = _user(service, "ada"), _user(service, "bob")
    _submit(service, ada, bundle, tmp_path, 2.0)
    first = board(service, "toy-reg")
    assert board(service, "toy-reg") is first  # nothing changed: not rebuilt

    _submit(service, bob, bundle, tmp_path, 1.0)  # a new submission
    second = board(service, "toy-reg")
    assert second is not first and second == _fresh(service)
    assert [r.name for r in second.public if not r.is_reference][:2] == ["bob", "ada"]

    service.finalize(ada, "toy-reg")  # a finalization: ada appears on the private board
    third = board(service, "toy-reg")
    assert third is not second and third == _fresh(service)
    assert [r.name for r in third.private or () if not r.is_reference] == ["ada"]

    with service.session(write_lock=True) as s:  # a deadline: the board's rules change
        row = s.scalars(select(Challenge).where(Challenge.slug == "toy-reg")).one()
        row.deadline = service.now() + timedelta(days=1)
    fourth = board(service, "toy-reg")
    assert fourth.private is None and fourth == _fresh(service)


def test_a_pending_submission_scored_later_shows(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    """A submission recorded as pending and scored later keeps its (older) id: the cache
    still notices."""
    bundle = bundles["toy-reg"]
    ada, bob = _user(service, "ada"), _user(service, "bob")
    _submit(service, ada, bundle, tmp_path, 2.0)
    with service.session(write_lock=True) as s:
        row = s.scalars(select(Challenge).where(Challenge.slug == "toy-reg")).one()
        pending = Submission(
            user_id=bob, challenge_id=row.id, file_sha256="0" * 64,
            original_filename="p.csv", size_bytes=1, status="pending",
        )  # fmt: skip
        s.add(pending)
    _submit(service, ada, bundle, tmp_path, 1.5)  # a newer id than the pending one
    before = board(service, "toy-reg")
    with service.session(write_lock=True) as s:
        sub = s.get(Submission, pending.id)
        assert sub is not None
        sub.status, sub.public_score, sub.private_score, sub.rows = "scored", 0.5, 0.5, 20
    after = board(service, "toy-reg")
    assert after is not before and after == _fresh(service)
    assert "bob" in [r.name for r in after.public]


def test_one_connection_is_enough_to_create_rows_and_build_boards(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    """Code holding a connection must never take a second: with many threads sharing a pool,
    every thread would hold one and wait for another (a real outage the server benchmark
    found). A pool of one connection, with a short timeout, proves it."""
    from trackrecord.store.db import make_engine
    from trackrecord.web.data import board

    engine = make_engine(settings, pool_size=1, max_overflow=0, pool_timeout=2)
    svc = Service(settings, engine=engine, catalog=catalog)
    try:
        with svc.session(write_lock=True) as s:
            svc.challenge_row(s, "toy-reg")  # the first use creates the row
        user = svc.local_user_id()
        svc.submit(user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.5))
        lb = board(svc, "toy-reg")  # a cache miss: rebuilt, with the reference models
        assert [r.user_id for r in lb.public if not r.is_reference] == [user]
        assert any(r.is_reference for r in lb.public)
        # ...and so does the rest of the learner's loop.
        svc.submissions(user, "toy-reg")
        svc.list_catalog(user)
        svc.start(user, "toy-cls", tmp_path / "ws")
        svc.finalize(user, "toy-reg")
        svc.status(user)
        svc.next_projects(user)
        svc.refit_mastery()
        assert board(svc, "toy-reg").private is not None
    finally:
        svc.close()
        engine.dispose()
