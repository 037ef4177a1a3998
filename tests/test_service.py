"""The use cases, on SQLite and PostgreSQL (the `service` fixture is parametrized)."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from tests.conftest import FakeCatalog, regression_file
from trackrecord.bundle import Bundle, FieldEntry, Thresholds
from trackrecord.errors import Conflict, InvalidSubmission, NotFound, QuotaExceeded
from trackrecord.service import Service
from trackrecord.service.grading import field_place, medal_for, medal_progress
from trackrecord.settings import Settings
from trackrecord.store.blobs import sha256_file
from trackrecord.store.models import Submission


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _rows(svc: Service) -> list[Submission]:
    with svc.session() as s:
        return list(s.scalars(select(Submission).order_by(Submission.id)))


def _bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text("id,y\n1000,1.0\n1001,oops\n")
    return path


def _cls_file(tmp_path: Path, bundle: Bundle, correct: int, name: str = "c.csv") -> Path:
    """An accuracy submission with the first `correct` rows right and the rest wrong."""
    test = pd.read_csv(bundle.public_dir / "test.csv")
    truth = ["yes" if i % 2 else "no" for i in range(len(test))]
    wrong = {"yes": "no", "no": "yes"}
    preds = [t if i < correct else wrong[t] for i, t in enumerate(truth)]
    path = tmp_path / name
    pd.DataFrame({"id": test["id"], "y": preds}).to_csv(path, index=False)
    return path


# Catalog and projects ------------------------------------------------------------------


def test_catalog_lists_projects_with_progress_and_filters(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    entries = service.list_catalog(user)
    assert [e.project.id for e in entries] == ["toy-reg", "toy-cls"]
    assert all(e.progress.state == "new" for e in entries)
    service.submit(user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], 2.5))
    reg = service.list_catalog(user, task="regression")
    assert [e.project.id for e in reg] == ["toy-reg"]
    assert reg[0].progress.state == "started" and reg[0].progress.best_public == 2.5
    assert service.list_catalog(user, skill="nope") == []
    assert len(service.list_catalog(user, level=1, skill="baselines")) == 2


def test_unknown_project_is_a_clear_error(service: Service, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"no project 'nope'.*trackrecord catalog"):
        service.submit(service.local_user_id(), "nope", _bad_file(tmp_path))
    with pytest.raises(NotFound):
        service.start(service.local_user_id(), "nope", tmp_path / "ws")


def test_start_enrolls_and_writes_the_workspace(service: Service, tmp_path: Path) -> None:
    user = service.local_user_id()
    result = service.start(user, "toy-cls", tmp_path / "ws")
    assert (tmp_path / "ws" / "data" / "train.csv").is_file()
    assert "README.md" in result.written
    again = service.start(user, "toy-cls", tmp_path / "ws")
    assert again.written == () and "README.md" in again.kept
    assert service.status(user).started == 1


def test_load_returns_the_public_tables(service: Service) -> None:
    train, test = service.load("toy-reg")
    assert list(train.columns) == ["id", "x", "y"] and list(test.columns) == ["id", "x"]


# Submitting ----------------------------------------------------------------------------


def test_invalid_submission_is_recorded_but_does_not_count(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    with pytest.raises(InvalidSubmission) as info:
        service.submit(user, "toy-reg", _bad_file(tmp_path))
    assert any(p.line is not None and p.file == "bad.csv" for p in info.value.problems)
    [row] = _rows(service)
    assert row.status == "invalid" and row.public_score is None and row.error
    assert row.original_filename == "bad.csv"
    view = service.submissions(user, "toy-reg")[0]
    assert view.status == "invalid" and view.problems
    result = service.submit(
        user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"])
    )
    assert result.left_today == result.per_day - 1


def test_submit_reports_score_best_change_place_medals_and_quota(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    first = service.submit(
        user, "toy-reg", regression_file(tmp_path / "a.csv", bundles["toy-reg"], 2.5)
    )
    assert first.public_score == pytest.approx(2.5)
    assert first.previous_best is None and first.change is None and first.improved
    assert first.place is not None and first.place.rank == 2 and first.place.total == 4
    assert first.medal_progress.medal == "bronze" and first.medal_progress.next_medal == "silver"
    worse = service.submit(
        user, "toy-reg", regression_file(tmp_path / "b.csv", bundles["toy-reg"], 3.5)
    )
    assert not worse.improved and worse.best == pytest.approx(2.5)
    assert worse.change == pytest.approx(1.0)
    better = service.submit(
        user, "toy-reg", regression_file(tmp_path / "c.csv", bundles["toy-reg"], 0.5)
    )
    assert better.improved and better.change == pytest.approx(-2.0)
    assert better.place is not None and better.place.rank == 1 and better.left_today == 2


def test_quota_is_exact_and_resets_at_utc_midnight(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    clock = Clock(datetime(2024, 5, 1, 23, 0, tzinfo=UTC))
    with Service(settings, catalog=catalog, clock=clock) as svc:
        user = svc.local_user_id()
        path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.0)
        lefts = [svc.submit(user, "toy-reg", path).left_today for _ in range(5)]
        assert lefts == [4, 3, 2, 1, 0]
        with pytest.raises(QuotaExceeded, match="all 5 submissions to toy-reg"):
            svc.submit(user, "toy-reg", path)
        with pytest.raises(QuotaExceeded):  # over quota, nothing is even validated
            svc.submit(user, "toy-reg", _bad_file(tmp_path))
        assert sum(r.status == "scored" for r in _rows(svc)) == 5
        clock.now = datetime(2024, 5, 2, 0, 0, tzinfo=UTC)
        assert svc.submit(user, "toy-reg", path).left_today == 4


def test_quota_holds_under_concurrent_submitters(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    with Service(settings, catalog=catalog) as svc:
        user = svc.local_user_id()
        path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.0)
        svc.submit(user, "toy-reg", path)  # warms the scorer's answer-key cache: 4 left
        outcomes: list[str] = []
        barrier = threading.Barrier(10)

        def worker() -> None:
            barrier.wait()
            try:
                svc.submit(user, "toy-reg", path)
                outcomes.append("ok")
            except QuotaExceeded:
                outcomes.append("quota")

        threads = [threading.Thread(target=worker) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcomes.count("ok") == 4 and outcomes.count("quota") == 6
        assert sum(r.status == "scored" for r in _rows(svc)) == 5


def test_resubmission_never_overwrites_a_blob(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.0)
    service.submit(user, "toy-reg", path)
    first = _rows(service)[0]
    blob = service.blobs.get(first.file_sha256).path
    before = os.stat(blob)
    service.submit(user, "toy-reg", path)
    regression_file(path, bundles["toy-reg"], 2.0)  # same name, new content
    service.submit(user, "toy-reg", path)
    rows = _rows(service)
    assert rows[0].file_sha256 == rows[1].file_sha256 != rows[2].file_sha256
    after = os.stat(blob)
    # The same file, never rewritten (sending it again only touches its mtime, for gc).
    assert (before.st_ino, before.st_size) == (after.st_ino, after.st_size)
    assert sha256_file(blob) == first.file_sha256
    assert all(service.blobs.exists(r.file_sha256) for r in rows)


@pytest.mark.parametrize("error", [RuntimeError("scorer crashed"), KeyboardInterrupt()])
def test_an_interrupted_submit_records_nothing_as_scored(
    settings: Settings,
    catalog: FakeCatalog,
    bundles: dict[str, Bundle],
    tmp_path: Path,
    error: BaseException,
) -> None:
    blobs_at_scoring: list[int] = []

    def exploding(bundle: Bundle, path: Path) -> object:
        blobs_at_scoring.append(len([p for p in settings.blobs_dir.rglob("*") if p.is_file()]))
        raise error

    with Service(settings, catalog=catalog, scorer=exploding) as svc:  # type: ignore[arg-type]
        path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.0)
        with pytest.raises(type(error)):
            svc.submit(svc.local_user_id(), "toy-reg", path)
        assert blobs_at_scoring == [1]  # the crash came after the file was stored
        assert _rows(svc) == []
    with Service(settings, catalog=catalog) as svc:
        assert svc.submit(svc.local_user_id(), "toy-reg", path).left_today == 4


@pytest.mark.parametrize(
    ("given", "stored"),
    [("..", "submission.csv"), ("a/b/../s.csv", "s.csv"), ("C:\\x\\s.csv", "s.csv"),
     ("é" * 150 + ".csv", "é" * 46 + ".csv")],
)  # fmt: skip
def test_uploaded_file_names_are_made_safe(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path, given: str, stored: str
) -> None:
    path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.0)
    result = service.submit(service.local_user_id(), "toy-reg", path, filename=given)
    assert result.submission.filename == stored


def test_private_scores_stay_hidden_until_finalized(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    service.submit(user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.5))
    assert service.submissions(user, "toy-reg")[0].private_score is None
    service.finalize(user, "toy-reg")
    view = service.submissions(user, "toy-reg")[0]
    assert view.private_score == pytest.approx(1.5) and view.picked


# Finalizing and medals -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "medal"),
    [(3.5, None), (2.5, "bronze"), (2.0, "silver"), (1.5, "silver"), (0.5, "gold")],
)
def test_medals_when_lower_is_better(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path, offset: float, medal: str | None
) -> None:
    user = service.local_user_id()
    service.submit(user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], offset))
    result = service.finalize(user, "toy-reg")
    assert result.private_score == pytest.approx(offset)
    assert result.medal == medal and not result.greater_is_better


@pytest.mark.parametrize(
    ("correct", "medal"), [(5, None), (12, "bronze"), (14, "silver"), (18, "silver"), (20, "gold")]
)
def test_medals_when_higher_is_better(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path, correct: int, medal: str | None
) -> None:
    # 20 rows, private = odd positions: 10 private rows; thresholds 0.5 / 0.7 / 0.9.
    user = service.local_user_id()
    service.submit(user, "toy-cls", _cls_file(tmp_path, bundles["toy-cls"], correct))
    result = service.finalize(user, "toy-cls")
    assert result.greater_is_better and result.medal == medal


@pytest.mark.parametrize("gib", [True, False])
def test_medal_rules_are_symmetric(gib: bool) -> None:
    sign = 1 if gib else -1
    th = Thresholds(0.5 * sign, 0.7 * sign, 0.9 * sign)
    assert medal_for(0.5 * sign, th, gib) is None  # bronze must beat the baseline
    assert medal_for(0.6 * sign, th, gib) == "bronze"
    assert medal_for(0.7 * sign, th, gib) == "silver"  # silver reaches the reference
    assert medal_for(0.9 * sign, th, gib) == "silver"  # gold must beat its threshold
    assert medal_for(0.95 * sign, th, gib) == "gold"
    assert medal_for(1.0, Thresholds(), gib) is None
    progress = medal_progress(0.6 * sign, th, gib)
    assert (progress.next_medal, progress.next_target) == ("silver", 0.7 * sign)


def test_field_place_in_both_directions() -> None:
    field = (FieldEntry("a", 0.6, 0), FieldEntry("b", 0.8, 0), FieldEntry("c", 0.7, 0))
    up = field_place(0.75, field, True)
    assert up is not None and (up.rank, up.total, up.behind, up.ahead_of) == (
        2,
        4,
        ("b",),
        ("c", "a"),
    )
    down = field_place(0.75, field, False)
    assert down is not None and down.rank == 3 and down.behind == ("a", "c")
    assert field_place(1.0, (), True) is None


def test_finalize_twice_is_a_clear_error(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    service.submit(user, "toy-reg", regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.5))
    service.finalize(user, "toy-reg")
    with pytest.raises(Conflict, match=r"already finalized.*finalized once"):
        service.finalize(user, "toy-reg")


def test_finalize_needs_a_scored_submission(service: Service, tmp_path: Path) -> None:
    user = service.local_user_id()
    with pytest.raises(InvalidSubmission):
        service.submit(user, "toy-reg", _bad_file(tmp_path))
    with pytest.raises(Conflict, match="no scored submission"):
        service.finalize(user, "toy-reg")


def test_finalize_default_picks_best_public_and_counts_best_private(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    for i, offset in enumerate([3.0, 1.0, 2.0]):
        service.submit(
            user, "toy-reg", regression_file(tmp_path / f"{i}.csv", bundles["toy-reg"], offset)
        )
    result = service.finalize(user, "toy-reg")  # final_picks = 2: the 1.0 and the 2.0
    assert sorted(p.public_score or 0 for p in result.picks) == [1.0, 2.0]
    assert result.private_score == pytest.approx(1.0) and result.submission_id == 2


def test_explicit_picks_are_checked(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    for i, offset in enumerate([3.0, 1.0, 2.0]):
        service.submit(
            user, "toy-reg", regression_file(tmp_path / f"{i}.csv", bundles["toy-reg"], offset)
        )
    with pytest.raises(Conflict, match="at most 2"):
        service.finalize(user, "toy-reg", [1, 2, 3])
    with pytest.raises(NotFound, match="99"):
        service.finalize(user, "toy-reg", [99])
    with pytest.raises(Conflict, match="twice"):
        service.finalize(user, "toy-reg", [1, 1])
    result = service.finalize(user, "toy-reg", [3])  # not the best public: honoured
    assert result.private_score == pytest.approx(2.0) and result.medal == "silver"


# Status --------------------------------------------------------------------------------


def test_status_counts_medals_best_and_streak(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    clock = Clock(datetime(2024, 5, 1, 12, tzinfo=UTC))
    with Service(settings, catalog=catalog, clock=clock) as svc:
        user = svc.local_user_id()
        path = regression_file(tmp_path / "s.csv", bundles["toy-reg"], 1.5)
        for day in (0, 2, 3, 4):  # a gap on day 1
            clock.now = datetime(2024, 5, 1, 12, tzinfo=UTC) + timedelta(days=day)
            svc.submit(user, "toy-reg", path)
        svc.start(user, "toy-cls", tmp_path / "ws")
        svc.finalize(user, "toy-reg")
        report = svc.status(user)
        assert (report.started, report.finalized, report.streak_days) == (2, 1, 3)
        assert report.medals == {"gold": 0, "silver": 1, "bronze": 0}
        by_id = {p.id: p for p in report.projects}
        assert by_id["toy-reg"].best_public == pytest.approx(1.5)
        assert by_id["toy-cls"].state == "started" and by_id["toy-cls"].submissions == 0
        clock.now += timedelta(days=1)  # today has none yet: the streak is still alive
        assert svc.status(user).streak_days == 3
        clock.now += timedelta(days=1)
        assert svc.status(user).streak_days == 0


# Hosted challenges ---------------------------------------------------------------------


def test_an_uploaded_challenge_is_listed_and_scored(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    from tests.conftest import Spec, write_toy_bundle

    hosted = write_toy_bundle(tmp_path / "hosted", Spec(id="class-2024"))
    info = service.add_challenge(hosted.root, per_day=2)
    assert info.source == "uploaded" and info.id == "class-2024"
    user = service.local_user_id()
    assert "class-2024" in [e.project.id for e in service.list_catalog(user)]
    result = service.submit(user, "class-2024", regression_file(tmp_path / "s.csv", hosted, 1.0))
    assert result.left_today == 1 and result.public_score == pytest.approx(1.0)
    with pytest.raises(Conflict, match="already exists"):
        service.add_challenge(hosted.root)
    with pytest.raises(Conflict, match="already exists"):
        service.add_challenge(bundles["toy-reg"].root)


def test_final_picks_are_chosen_before_the_deadline_and_frozen_at_it(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    """As on Kaggle: picks change until the deadline, then the private board and the
    finalization use them, and nobody picks again once private scores are due."""
    from tests.conftest import Spec, write_toy_bundle
    from trackrecord.web.data import board

    deadline = datetime(2024, 5, 2, tzinfo=UTC)
    clock = Clock(datetime(2024, 5, 1, tzinfo=UTC))
    hosted = write_toy_bundle(tmp_path / "hosted", Spec(id="timed"))
    with Service(settings, catalog=catalog, clock=clock) as svc:
        svc.add_challenge(hosted.root, deadline=deadline)
        user = svc.local_user_id()
        ids = [
            svc.submit(
                user, "timed", regression_file(tmp_path / f"{e}.csv", hosted, e)
            ).submission.id
            for e in (0.5, 2.0, 3.0)
        ]
        good, worse, worst = ids
        with pytest.raises(Conflict, match="at most 2"):
            svc.select_picks(user, "timed", ids)
        with pytest.raises(Conflict, match="picked twice"):
            svc.select_picks(user, "timed", [good, good])
        with pytest.raises(NotFound, match="not scored submissions of yours"):
            svc.select_picks(user, "timed", [max(ids) + 1])
        views = svc.select_picks(user, "timed", [worst, worse])
        assert sorted(v.id for v in views if v.picked) == [worse, worst]
        assert all(v.private_score is None for v in views)  # picking reveals nothing
        views = svc.select_picks(user, "timed", [worse])  # changed: worst is withdrawn
        assert [v.id for v in views if v.picked] == [worse]
        assert board(svc, "timed").private is None  # not due yet

        clock.now = deadline
        with pytest.raises(Conflict, match="closed at its deadline"):
            svc.select_picks(user, "timed", [good])
        with pytest.raises(Conflict, match="closed at its deadline"):
            svc.finalize(user, "timed", [good])
        mine = [r for r in board(svc, "timed").private if r.user_id == user]
        assert [r.score for r in mine] == [pytest.approx(2.0)]  # the pick, not the best public
        result = svc.finalize(user, "timed")
        assert result.submission_id == worse and result.private_score == pytest.approx(2.0)


def test_picks_clear_and_serve_a_project_without_deadline(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    first, second = (
        service.submit(
            user, "toy-reg", regression_file(tmp_path / f"{e}.csv", bundles["toy-reg"], e)
        )
        for e in (0.5, 2.0)
    )
    service.select_picks(user, "toy-reg", [second.submission.id])
    assert not any(v.picked for v in service.select_picks(user, "toy-reg", []))  # cleared
    service.select_picks(user, "toy-reg", [second.submission.id])
    result = service.finalize(user, "toy-reg")  # no picks named: the selected one counts
    assert result.submission_id == second.submission.id
    with pytest.raises(Conflict, match="finalized once"):
        service.select_picks(user, "toy-reg", [first.submission.id])


def test_a_deadline_closes_submissions_and_guards_private_scores(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    from tests.conftest import Spec, write_toy_bundle

    clock = Clock(datetime(2024, 5, 1, tzinfo=UTC))
    hosted = write_toy_bundle(tmp_path / "hosted", Spec(id="timed"))
    with Service(settings, catalog=catalog, clock=clock) as svc:
        svc.add_challenge(hosted.root, deadline=datetime(2024, 5, 2, tzinfo=UTC))
        user = svc.local_user_id()
        svc.submit(user, "timed", regression_file(tmp_path / "s.csv", hosted, 1.0))
        with pytest.raises(Conflict, match="reveals private scores at its deadline"):
            svc.finalize(user, "timed")
        clock.now = datetime(2024, 5, 2, tzinfo=UTC)
        with pytest.raises(Conflict, match="closed for submissions"):
            svc.submit(user, "timed", regression_file(tmp_path / "s.csv", hosted, 1.0))
        assert svc.finalize(user, "timed").medal == "silver"  # 1.0 does not beat gold's 1.0
