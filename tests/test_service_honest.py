"""The learner loop never misleads: public numbers for public estimates, practice after
finalizing, a preview before it, the reveal after it, one piece of mastery evidence per
project, submission numbers per project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FakeCatalog, Spec, regression_file, write_toy_bundle
from trackrecord.bundle import Bundle, Thresholds
from trackrecord.errors import Conflict, InvalidSubmission, NotFound
from trackrecord.service import Service
from trackrecord.service.render import finalize_rows, project_rows, submit_rows
from trackrecord.settings import Settings
from trackrecord.store.models import User

# toy-reg (rmse, lower is better): private lines 3 / 2 / 1, public lines 3.2 / 2.2 / 1.2.
# A regression file with offset d scores d on both splits.


def _file(tmp_path: Path, bundle: Bundle, offset: float, name: str = "s.csv") -> Path:
    return regression_file(tmp_path / name, bundle, offset)


def _user(svc: Service, name: str) -> int:
    with svc.session(write_lock=True) as s:
        user = User(username=name, role="learner", password_hash="x")
        s.add(user)
        s.flush()
        return user.id


def _text(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in rows)


# Public numbers for public estimates ---------------------------------------------------


@pytest.mark.parametrize(
    ("public_lines", "offset", "estimate", "medal"),
    [
        # clears the public gold line (1.2) but not the private one (1.0): public verdict
        (Thresholds(3.2, 2.2, 1.2), 1.1, "gold", "silver"),
        # clears the private gold line (1.0) but not the public one (0.8): public verdict
        (Thresholds(2.8, 1.8, 0.8), 0.9, "silver", "gold"),
    ],
)
def test_the_estimate_compares_public_with_public(
    settings: Settings,
    tmp_path: Path,
    public_lines: Thresholds,
    offset: float,
    estimate: str,
    medal: str,
) -> None:
    bundle = write_toy_bundle(tmp_path / "b", Spec(id="split", public_thresholds=public_lines))
    with Service(settings, catalog=FakeCatalog([bundle])) as svc:
        user = svc.local_user_id()
        result = svc.submit(user, "split", _file(tmp_path, bundle, offset))
        progress = result.medal_progress
        assert (progress.medal, progress.split) == (estimate, "public")
        assert (progress.baseline, progress.reference, progress.gold) == (
            public_lines.baseline,
            public_lines.reference,
            public_lines.gold,
        )
        assert result.place is not None and result.place.split == "public"
        text = _text(submit_rows(result))
        assert f"{estimate} reached" in text and "public score vs the public lines" in text
        preview = svc.finalize_preview(user, "split")
        assert preview.estimate.medal == estimate and preview.estimate.split == "public"
        final = svc.finalize(user, "split")
        assert final.medal == medal and final.medal_progress.split == "private"
        assert final.thresholds == Thresholds(3.0, 2.0, 1.0)
        assert final.public_thresholds == public_lines


def test_no_public_lines_means_no_estimate(settings: Settings, tmp_path: Path) -> None:
    """Without public lines nothing is compared with the private ones instead."""
    bundle = write_toy_bundle(tmp_path / "b", Spec(id="bare", public_thresholds=Thresholds()))
    with Service(settings, catalog=FakeCatalog([bundle])) as svc:
        result = svc.submit(svc.local_user_id(), "bare", _file(tmp_path, bundle, 0.5))
        assert result.medal_progress.medal is None
        assert result.medal_progress.gold is None and result.medal_progress.next_target is None
        assert "no medal lines on the public split" in _text(submit_rows(result))


# Submission numbers, unknown ids, invalid reasons, totals ------------------------------


def test_submission_numbers_are_per_project_and_stable(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    reg = bundles["toy-reg"]
    first = service.submit(user, "toy-reg", _file(tmp_path, reg, 2.5))
    bad = tmp_path / "bad.csv"
    bad.write_text("id,y\n1000,1.0\n1001,oops\n")
    with pytest.raises(InvalidSubmission):
        service.submit(user, "toy-cls", bad)
    third = service.submit(user, "toy-reg", _file(tmp_path, reg, 1.5))
    assert first.submission.number == 1 and third.submission.number == 2
    assert "#2 (s.csv)" in _text(submit_rows(third))
    views = service.submissions(user, "toy-reg")
    assert [v.number for v in views] == [1, 2]
    [invalid] = service.submissions(user, "toy-cls")
    assert invalid.number == 1 and invalid.status == "invalid"
    assert invalid.problems and "line 3" in invalid.problems[-1]


def test_unknown_project_suggests_the_closest_id(service: Service, tmp_path: Path) -> None:
    user = service.local_user_id()
    with pytest.raises(NotFound, match=r"no project 'toy-rg'; did you mean 'toy-reg'\?"):
        service.submissions(user, "toy-rg")
    with pytest.raises(NotFound, match=r"did you mean 'toy-cls'"):
        service.start(user, "toycls", tmp_path / "ws")
    with pytest.raises(NotFound, match=r"no project 'zebra'; run `trackrecord catalog`"):
        service.project("zebra")


def test_status_counts_the_projects_that_exist(service: Service) -> None:
    report = service.status(service.local_user_id())
    assert report.total_projects == 2 and report.started == 0


# Finalize: preview, practice, reveal ---------------------------------------------------


def test_preview_says_what_would_be_judged_and_changes_nothing(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    reg = bundles["toy-reg"]
    for offset in (2.5, 0.5, 1.5):
        service.submit(user, "toy-reg", _file(tmp_path, reg, offset))
    preview = service.finalize_preview(user, "toy-reg")
    assert [p.number for p in preview.picks] == [2, 3] and not preview.selected
    assert "2 best public" in preview.rule and preview.final_picks == 2
    named = service.finalize_preview(user, "toy-reg", by_number=[1])
    assert [p.number for p in named.picks] == [1] and named.selected
    assert "you picked" in named.rule
    with pytest.raises(NotFound, match=r"no submission #9 to toy-reg"):
        service.finalize_preview(user, "toy-reg", by_number=[9])
    assert service.status(user).finalized == 0  # nothing happened
    final = service.finalize(user, "toy-reg", by_number=[1])
    assert final.submission_number == 1 and final.medal == "bronze"
    with pytest.raises(Conflict, match="already finalized"):
        service.finalize_preview(user, "toy-reg")


def test_after_finalizing_submissions_are_practice(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    reg = bundles["toy-reg"]
    service.submit(user, "toy-reg", _file(tmp_path, reg, 2.5))
    final = service.finalize(user, "toy-reg")
    assert final.medal == "bronze"
    skills_before = service.skills(user)
    practice = service.submit(user, "toy-reg", _file(tmp_path, reg, 0.5, "p.csv"))
    assert practice.practice and practice.submission.practice
    assert practice.finalized_medal == "bronze"
    assert practice.medal_progress.medal == "gold"  # what it would reach, on the public lines
    text = _text(submit_rows(practice))
    assert "practice" in text and "reached" not in text and "never changes your medal" in text
    views = service.submissions(user, "toy-reg")
    assert [v.practice for v in views] == [False, True]
    status = service.status(user)
    [project] = status.projects
    assert project.best_public == pytest.approx(2.5) and project.practice == 1
    assert project.medal == "bronze" and status.medals["gold"] == 0
    after = service.skills(user)  # practice is no evidence
    assert [(e.skill, e.mean, e.n_attempts) for e in after] == [
        (e.skill, e.mean, e.n_attempts) for e in skills_before
    ]
    again = service.results(user, "toy-reg")
    assert again.medal == "bronze" and again.practice_submissions == 1
    assert [p.number for p in again.picks] == [1]


def test_the_reveal_after_finalizing(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    other = _user(service, "ada")
    reg = bundles["toy-reg"]
    with pytest.raises(Conflict, match="appear after `trackrecord finalize toy-reg`"):
        service.results(user, "toy-reg")
    service.submit(other, "toy-reg", _file(tmp_path, reg, 0.5, "o.csv"))
    service.finalize(other, "toy-reg")
    service.submit(user, "toy-reg", _file(tmp_path, reg, 1.5))
    report = service.project_report(user, "toy-reg")
    assert report.result is None and report.estimate is not None
    assert report.estimate.split == "public" and report.estimate.medal == "silver"
    assert "shown once you finalize" in _text(project_rows(report))
    final = service.finalize(user, "toy-reg")
    assert final.learners is not None and (final.learners.rank, final.learners.total) == (2, 2)
    # field private scores: mean 4.1, linear 2.6, boosting 1.4; 1.5 is behind boosting
    assert final.field_place is not None and final.field_place.split == "private"
    assert final.field_place.rank == 2 and final.field_place.behind == ("boosting",)
    assert final.thresholds == Thresholds(3.0, 2.0, 1.0)
    text = _text(finalize_rows(final))
    assert "2nd of 2 who finalized" in text and "private split" in text
    assert "bronze below 3, silver 2 or lower, gold below 1" in text
    assert "Next: silver reached; gold would have needed below 1" in text
    report = service.project_report(user, "toy-reg")
    assert report.state == "finalized" and report.result == final


def test_the_reference_code_is_revealed_after_finalizing(
    settings: Settings, tmp_path: Path
) -> None:
    bundle = write_toy_bundle(tmp_path / "b", Spec(id="coded"))
    (bundle.root / "private" / "reference.py").write_text("print('the reference')\n")
    with Service(settings, catalog=FakeCatalog([bundle])) as svc:
        user = svc.local_user_id()
        svc.submit(user, "coded", _file(tmp_path, bundle, 1.5))
        final = svc.finalize(user, "coded")
    assert final.reference_code == "print('the reference')\n"
    assert "printed below" in _text(finalize_rows(final))


def test_a_project_without_reference_code_says_so(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    service.submit(user, "toy-reg", _file(tmp_path, bundles["toy-reg"], 1.5))
    final = service.finalize(user, "toy-reg")
    assert final.reference_code is None
    assert "this project ships none" in _text(finalize_rows(final))


def test_private_lines_are_withheld_until_finalized(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    """Catalog entries (CLI --json, the API's list) and the page/API data of a project carry
    the public lines while the learner works; the private ones appear after finalizing."""
    from trackrecord.web.data import project_data

    uid = service.local_user_id()
    service.submit(uid, "toy-reg", _file(tmp_path, bundles["toy-reg"], 2.5))
    entry = next(e for e in service.list_catalog(uid) if e.project.id == "toy-reg")
    assert entry.project.thresholds == Thresholds()
    assert entry.project.public_thresholds == Thresholds(3.2, 2.2, 1.2)
    assert project_data(service, uid, "toy-reg")["project"].thresholds == Thresholds()
    service.finalize(uid, "toy-reg")
    entry = next(e for e in service.list_catalog(uid) if e.project.id == "toy-reg")
    assert entry.project.thresholds == Thresholds(3.0, 2.0, 1.0)
    assert project_data(service, uid, "toy-reg")["project"].thresholds == Thresholds(3.0, 2.0, 1.0)
