"""Mastery evidence that means something: one attempt per learner and project (the
finalized private result, else the best public result against the public lines); the same
file never counts twice; practice never counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import regression_file
from trackrecord.bundle import Bundle
from trackrecord.service import Service
from trackrecord.service.learning import Scored, graded_attempts, project_evidence
from trackrecord.store.models import Challenge, Finalization

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def _row(**lines: float | None) -> Challenge:
    """toy-reg's lines: private 3 / 2 / 1, public 3.2 / 2.2 / 1.2 (rmse)."""
    defaults: dict[str, float | None] = dict(
        baseline=3.0, reference=2.0, public_baseline=3.2, public_reference=2.2
    )
    return Challenge(slug="toy-reg", greater_is_better=False, **{**defaults, **lines})


def test_best_public_against_public_lines_each_file_once() -> None:
    scored = [
        Scored("a", 2.7, T0),
        Scored("a", 2.7, T0 + timedelta(hours=1)),  # the same file again
        Scored("b", 3.5, T0 + timedelta(hours=2)),
        Scored("c", 2.7, T0 + timedelta(hours=3)),  # ties the best: the earlier one counts
    ]
    attempt = project_evidence("1", _row(), scored, None)
    assert attempt is not None and attempt.time == T0
    assert attempt.outcome == pytest.approx((3.2 - 2.7) / (3.2 - 2.2))  # public lines


def test_a_finalized_project_is_its_private_result() -> None:
    fin = Finalization(private_score=2.0, public_score=2.1, created_at=T0 + timedelta(days=1))
    attempt = project_evidence("1", _row(), [Scored("a", 3.5, T0)], fin)
    assert attempt is not None and attempt.outcome == pytest.approx(1.0)
    assert attempt.time == fin.created_at


def test_no_public_lines_no_evidence_before_finalizing() -> None:
    row = _row(public_baseline=None, public_reference=None)
    assert project_evidence("1", row, [Scored("a", 2.5, T0)], None) is None


def test_identical_resubmissions_do_not_lower_the_estimate(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    path = regression_file(tmp_path / "same.csv", bundles["toy-reg"], 3.5)  # below baseline
    service.submit(user, "toy-reg", path)
    [once] = service.skills(user)
    for _ in range(3):
        service.submit(user, "toy-reg", path)  # 4 identical submissions in all
    [four] = service.skills(user)
    assert four.mean == pytest.approx(once.mean) and four.n_attempts == 1
    assert len(graded_attempts(service, user)) == 1


def test_one_silver_after_early_misses_reads_as_a_silver(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    """The audit found every skill at ~0.3 +- 0.33 after one silver, because each public
    miss on the way there counted as a failure. Now the project is one silver."""
    user = service.local_user_id()
    reg = bundles["toy-reg"]
    for n, offset in enumerate((4.0, 3.6, 3.4)):
        service.submit(user, "toy-reg", regression_file(tmp_path / f"m{n}.csv", reg, offset))
    service.submit(user, "toy-reg", regression_file(tmp_path / "silver.csv", reg, 1.9))
    assert service.finalize(user, "toy-reg").medal == "silver"
    [skill] = service.skills(user)
    assert skill.n_attempts == 1 and skill.mean > 0.5
    [attempt] = graded_attempts(service, user)
    assert attempt.outcome == pytest.approx(1.0)


def test_practice_is_no_evidence_and_other_learners_are_apart(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    reg = bundles["toy-reg"]
    service.submit(user, "toy-reg", regression_file(tmp_path / "a.csv", reg, 2.5))
    service.finalize(user, "toy-reg")
    service.submit(user, "toy-reg", regression_file(tmp_path / "p.csv", reg, 5.0))
    [attempt] = graded_attempts(service)
    assert attempt.outcome == pytest.approx(0.5)  # the private 2.5 between 3 and 2
