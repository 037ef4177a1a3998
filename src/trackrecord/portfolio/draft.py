"""A project's write-up to start from (`trackrecord post new PROJECT`): front matter filled
in, the results table, the score-history plot beside the post, and the project's four
learning steps as headings for the learner to write under.

The draft says `draft: true`: `publish` leaves it out until the learner sets it to false.
An existing file is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from trackrecord.errors import Conflict
from trackrecord.metrics import get_metric
from trackrecord.portfolio.frontmatter import dump_post
from trackrecord.portfolio.gather import extra_from_report
from trackrecord.service import ProjectReport, Service
from trackrecord.service.render import direction, num

STEPS = (
    ("1. Read the brief", "What is the data, what is the target, and why does the metric fit?"),
    ("2. Run the starter and experiment", "What did you try, in what order, and what moved the "
     "public score? The plot above shows every submission."),
    ("3. Reproduce the reference score", "How close did you get to the reference without "
     "looking? After finalizing, compare your pipeline with the reference's code."),
    ("4. Apply it elsewhere", "Where else would this technique work? Name a sibling project "
     "and what you would change."),
)  # fmt: skip


@dataclass(frozen=True)
class Draft:
    path: Path
    plot: Path
    front_matter: dict[str, Any]


def results_table(report: ProjectReport) -> str:
    """The results so far as a Markdown table (public estimate, private result, medal)."""
    gib = get_metric(report.project.metric).greater_is_better
    rows = [
        ("Metric", f"{report.project.metric} ({direction(gib)})"),
        ("Scored submissions", str(sum(s.status == "scored" for s in report.submissions))),
        ("Best public score", num(report.best_public)),
    ]
    result = report.result
    if result is not None:
        rows += [
            ("Private score (the medal's)", num(result.private_score)),
            ("Medal", result.medal or "none"),
            ("Finalized", result.finalized_at.strftime("%Y-%m-%d")),
        ]
    else:
        rows.append(("Medal", "not finalized yet (`trackrecord finalize` judges it once)"))
    rows.append(("Origin", "self-scored (scored on my own machine, signed by my install)"))
    lines = ["| | |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(lines)


def draft_body(report: ProjectReport, plot_name: str) -> str:
    info = report.project
    parts = [
        "<!-- Drafted by `trackrecord post new`. Write under each step, then set "
        "`draft: false` and run `trackrecord publish`. -->",
        f"_{info.summary}_" if info.summary else "",
        "## Results",
        results_table(report),
        f"![Score history of {info.title}: every submission's public score against the "
        f"public medal lines]({plot_name})",
    ]
    for heading, prompt in STEPS:
        parts += [f"## {heading}", f"<!-- {prompt} -->", ""]
    return "\n\n".join(p for p in parts if p is not None) + "\n"


def draft_writeup(
    svc: Service, user_id: int, project_id: str, folder: Path, *, now: datetime | None = None
) -> Draft:
    """Write `<folder>/<project>.md` and its plot `<project>-history.svg`; Conflict when the
    post already exists (the learner's writing is never overwritten)."""
    report = svc.project_report(user_id, project_id)
    info = report.project
    path, plot = folder / f"{info.id}.md", folder / f"{info.id}-history.svg"
    if path.exists():
        raise Conflict(f"{path} already exists: edit it, or move it away to draft a new one")
    extra = extra_from_report(report)
    moment = now or svc.now()
    fm: dict[str, Any] = {
        "title": f"{info.title}: what I learned",
        "date": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "draft": True,
        "description": info.summary or f"My work on {info.title}.",
        "tags": list(info.skills),
        "categories": ["projects"],
        "slug": info.id,
        "project": info.id,
    }
    folder.mkdir(parents=True, exist_ok=True)
    plot.write_text(extra.history_svg() + "\n", encoding="utf-8")
    path.write_text(dump_post(fm, "\n" + draft_body(report, plot.name)), encoding="utf-8")
    return Draft(path, plot, fm)
