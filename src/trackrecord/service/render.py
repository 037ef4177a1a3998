"""Plain-text summaries of use-case results, shared by the CLI and the notebook reprs so both
say the same thing in the same words. Each returns (label, value) pairs or lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trackrecord.service.types import (
    FieldPlace,
    FinalizeResult,
    MedalProgress,
    StatusReport,
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
    return text


def medal_text(progress: MedalProgress, greater_is_better: bool) -> str:
    reached = f"{progress.medal} reached" if progress.medal else "no medal yet"
    if progress.next_medal is None or progress.next_target is None:
        return reached
    if progress.next_medal == "silver":
        need = f"{num(progress.next_target)} {'or higher' if greater_is_better else 'or lower'}"
    else:
        need = f"{'above' if greater_is_better else 'below'} {num(progress.next_target)}"
    return f"{reached}; {progress.next_medal} needs {need}"


def best_text(result: SubmitResult) -> str:
    if result.previous_best is None:
        return f"{num(result.best)} (your first scored submission)"
    change = result.change or 0.0
    verdict = "new best" if result.improved else "no improvement"
    return (
        f"{num(result.best)} ({verdict}: {change:+.6g} vs best before, {num(result.previous_best)})"
    )


def submit_rows(result: SubmitResult) -> list[tuple[str, str]]:
    gib = result.greater_is_better
    return [
        ("Project", result.project_id),
        ("Submission", f"#{result.submission.id} ({result.submission.filename})"),
        ("Public score", f"{num(result.public_score)} ({result.metric}, {direction(gib)})"),
        ("Best so far", best_text(result)),
        ("Place", place_text(result.place)),
        ("Medals (public estimate)", medal_text(result.medal_progress, gib)),
        ("Left today", f"{result.left_today} of {result.per_day} submissions (UTC day)"),
    ]


def finalize_rows(result: FinalizeResult) -> list[tuple[str, str]]:
    picks = ", ".join(f"#{p.id} (public {num(p.public_score)})" for p in result.picks)
    return [
        ("Project", result.project_id),
        ("Final picks", picks),
        ("Counted", f"#{result.submission_id}"),
        ("Public score", num(result.public_score)),
        ("Private score", f"{num(result.private_score)} ({result.metric})"),
        ("Medal", result.medal or "none"),
        ("Next", medal_text(result.medal_progress, result.greater_is_better)),
    ]


def status_rows(report: StatusReport) -> list[tuple[str, str]]:
    medals = ", ".join(f"{n} {m}" for m, n in report.medals.items())
    return [
        ("Projects started", str(report.started)),
        ("Finalized", str(report.finalized)),
        ("Medals", medals),
        ("Streak", f"{report.streak_days} day(s) in a row with a submission"),
        ("Submissions today", str(report.submissions_today)),
    ]


REMOTE_SUBMIT_KEYS = ("metric", "public_score", "best", "change", "left_today")
REMOTE_FINALIZE_KEYS = ("metric", "public_score", "private_score", "medal")


def remote_rows(answer: Mapping[str, Any], keys: Sequence[str]) -> list[tuple[str, str]]:
    """Rows of a server's JSON answer (submit, finalize) for the CLI and the notebook."""
    return [(k.replace("_", " "), str(answer[k])) for k in keys if answer.get(k) is not None]
