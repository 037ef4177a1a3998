"""Plain-text summaries of use-case results, shared by the CLI and the notebook reprs so both
say the same thing in the same words. Each returns (label, value) pairs or lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trackrecord.bundle import Thresholds
from trackrecord.metrics import get_metric
from trackrecord.service.types import (
    FieldPlace,
    FinalizePreview,
    FinalizeResult,
    MedalProgress,
    ProjectReport,
    StatusReport,
    SubmissionView,
    SubmitResult,
)


def num(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def direction(greater_is_better: bool) -> str:
    return "higher is better" if greater_is_better else "lower is better"


def place_text(place: FieldPlace | None) -> str:
    if place is None:
        return "this project has no reference models to compare with"
    text = f"{ordinal(place.rank)} of {place.total} among the reference models"
    if place.behind:
        text += f" (next above: {place.behind[-1]})"
    return f"{text}, {place.split} split"


def _need(medal: str, target: float, greater_is_better: bool) -> str:
    if medal == "silver":
        return f"{num(target)} {'or higher' if greater_is_better else 'or lower'}"
    return f"{'above' if greater_is_better else 'below'} {num(target)}"


def medal_text(progress: MedalProgress, greater_is_better: bool) -> str:
    """The medal a score reaches on its split and what the next one needs."""
    if progress.baseline is None and progress.reference is None and progress.gold is None:
        return f"this project has no medal lines on the {progress.split} split"
    final = progress.split == "private"  # the medal itself, not an estimate
    reached = f"{progress.medal} reached" if progress.medal else "no medal"
    if progress.medal is None and not final:
        reached += " yet"
    if progress.next_medal is None or progress.next_target is None:
        return reached
    need = _need(progress.next_medal, progress.next_target, greater_is_better)
    return f"{reached}; {progress.next_medal} {'would have needed' if final else 'needs'} {need}"


def estimate_text(progress: MedalProgress, greater_is_better: bool) -> str:
    """A public estimate, saying what it is: public score against the public lines."""
    return (
        f"{medal_text(progress, greater_is_better)} (public score vs the public lines; "
        "the medal is judged on the private score when you finalize)"
    )


def practice_text(progress: MedalProgress, greater_is_better: bool) -> str:
    """What a practice score would have reached: never a medal."""
    if progress.baseline is None and progress.reference is None and progress.gold is None:
        return "this project has no public medal lines to compare with"
    where = (
        f"reaches the public {progress.medal} line"
        if progress.medal
        else "is below every public medal line"
    )
    return f"practice: this public score {where}; it never changes your medal"


def lines_text(thresholds: Thresholds, greater_is_better: bool) -> str:
    """The three medal lines of one split, in words."""
    parts = [
        f"{name} {_need(name, value, greater_is_better)}"
        for name, value in (
            ("bronze", thresholds.baseline),
            ("silver", thresholds.reference),
            ("gold", thresholds.gold),
        )
        if value is not None
    ]
    return ", ".join(parts) or "none"


def best_text(result: SubmitResult) -> str:
    if result.previous_best is None:
        return f"{num(result.best)} (your first scored submission)"
    change = result.change or 0.0
    verdict = "new best" if result.improved else "no improvement"
    return (
        f"{num(result.best)} ({verdict}: {change:+.6g} vs best before, {num(result.previous_best)})"
    )


def submission_label(view: SubmissionView) -> str:
    """`#3 (file.csv)`, with `practice` when it is."""
    practice = ", practice" if view.practice else ""
    return f"#{view.number} ({view.filename}{practice})"


def submit_rows(result: SubmitResult) -> list[tuple[str, str]]:
    gib = result.greater_is_better
    rows = [
        ("Project", result.project_id),
        ("Submission", submission_label(result.submission)),
        ("Public score", f"{num(result.public_score)} ({result.metric}, {direction(gib)})"),
        ("Best so far", best_text(result)),
        ("Place", place_text(result.place)),
    ]
    if result.practice:
        medal = result.finalized_medal or "no medal"
        rows += [
            ("Practice", f"{result.project_id} is finalized ({medal}); practice never counts"),
            ("Public lines", practice_text(result.medal_progress, gib)),
        ]
    else:
        rows.append(("Medal estimate", estimate_text(result.medal_progress, gib)))
    rows.append(("Left today", f"{result.left_today} of {result.per_day} submissions (UTC day)"))
    return rows


def _picks_text(picks: Sequence[SubmissionView]) -> str:
    return ", ".join(f"#{p.number} (public {num(p.public_score)})" for p in picks)


def preview_rows(preview: FinalizePreview) -> list[tuple[str, str]]:
    """What finalizing would judge, before it happens."""
    return [
        ("Project", preview.project_id),
        ("Would judge", _picks_text(preview.picks)),
        ("Rule", preview.rule),
        ("Public estimate", estimate_text(preview.estimate, preview.greater_is_better)),
    ]


def finalize_rows(result: FinalizeResult) -> list[tuple[str, str]]:
    gib = result.greater_is_better
    learners = result.learners
    rows = [
        ("Project", result.project_id),
        ("Final picks", _picks_text(result.picks)),
        ("Counted", f"#{result.submission_number}"),
        ("Public score", num(result.public_score)),
        ("Private score", f"{num(result.private_score)} ({result.metric}, {direction(gib)})"),
        ("Medal", f"{result.medal or 'none'} (private score vs the private lines)"),
        ("Private lines", lines_text(result.thresholds, gib)),
        ("Public lines", lines_text(result.public_thresholds, gib)),
        ("Next", medal_text(result.medal_progress, gib)),
    ]
    if learners is not None:
        rows.append(
            ("Private board", f"{ordinal(learners.rank)} of {learners.total} who finalized")
        )
    rows.append(("Field", place_text(result.field_place)))
    if result.practice_submissions:
        rows.append(("Practice", f"{result.practice_submissions} submission(s) since"))
    code = "printed below" if result.reference_code else "this project ships none"
    rows.append(("Reference code", code))
    return rows


def status_rows(report: StatusReport) -> list[tuple[str, str]]:
    medals = ", ".join(f"{n} {m}" for m, n in report.medals.items())
    total = report.total_projects
    return [
        ("Projects started", f"{report.started} of {total}"),
        ("Finalized", f"{report.finalized} of {total}"),
        ("Medals", medals),
        ("Streak", f"{report.streak_days} day(s) in a row with a submission"),
        ("Submissions today", str(report.submissions_today)),
    ]


def project_rows(report: ProjectReport) -> list[tuple[str, str]]:
    """One project for one learner; the revealed result once finalized."""
    if report.result is not None:
        return [("State", "finalized"), *finalize_rows(report.result)]
    gib = get_metric(report.project.metric).greater_is_better
    scored = [v for v in report.submissions if v.status == "scored"]
    estimate = (
        "no scored submission yet"
        if report.estimate is None
        else estimate_text(report.estimate, gib)
    )
    return [
        ("Project", f"{report.project.id} ({report.project.title})"),
        ("State", report.state),
        ("Submissions", f"{len(report.submissions)} ({len(scored)} scored)"),
        ("Best public", num(report.best_public)),
        ("Medal estimate", estimate),
        ("Public lines", lines_text(report.project.public_thresholds, gib)),
        ("Private lines", "shown once you finalize"),
    ]


REMOTE_SUBMIT_KEYS = ("metric", "public_score", "best", "change", "left_today", "practice")


def remote_rows(answer: Mapping[str, Any], keys: Sequence[str]) -> list[tuple[str, str]]:
    """Rows of a server's JSON answer (submit, finalize) for the CLI and the notebook."""
    return [(k.replace("_", " "), str(answer[k])) for k in keys if answer.get(k) is not None]
