"""Data builders shared by the pages and the JSON API: each returns plain values.

Nothing here returns an answer-key value or a private score before it is due: submissions
come from the service (private scores only once finalized), leaderboards from
trackrecord.leaderboard (private board only when due).
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from trackrecord import leaderboard
from trackrecord.bundle import Bundle
from trackrecord.leaderboard import Leaderboard
from trackrecord.service import ProjectInfo, Service
from trackrecord.service.progress import check_listed
from trackrecord.service.projects import as_seen_by, find_row
from trackrecord.service.submit import count_today
from trackrecord.store.models import Challenge

STEPS = (
    ("Read the brief", "Understand the data, the target and why the metric fits."),
    ("Run the starter and experiment", "Download the data, run the starter, try ideas."),
    ("Reproduce the reference score", "Reach the reference (silver) without looking."),
    ("Apply it elsewhere", "Use the technique on a sibling project."),
)
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def brief_html(description: str) -> str:
    """The brief as HTML; raw HTML in it is escaped, not rendered."""
    html: str = _markdown.render(description)
    return html


@dataclass(frozen=True)
class Quota:
    per_day: int
    used_today: int
    final_picks: int

    @property
    def left_today(self) -> int:
        return max(self.per_day - self.used_today, 0)


def quota(svc: Service, user_id: int, project_id: str, bundle: Bundle) -> Quota:
    with svc.session() as s:
        row = find_row(s, project_id)
        if row is None:
            limits = bundle.challenge.limits
            return Quota(limits.per_day, 0, limits.final_picks)
        return Quota(row.per_day, count_today(s, user_id, row.id, svc.now()), row.final_picks)


def _transient_row(info: ProjectInfo, bundle: Bundle, gib: bool) -> Challenge:
    """A row not stored: a project nobody has submitted to yet has an empty board."""
    return Challenge(
        slug=info.id,
        title=info.title,
        metric=info.metric,
        greater_is_better=gib,
        deadline=None,
        final_picks=bundle.challenge.limits.final_picks,
    )


def board(svc: Service, project_id: str) -> Leaderboard:
    """The leaderboard of a project as it may be shown now.

    A stored challenge's board comes from the service's cache, which rebuilds it only when
    a submission, finalization or setting it depends on changed (one small query a view).
    """
    with svc.reading() as s:
        found = svc.leaderboards.find(
            s, project_id, lambda row: svc.bundle_of(row).challenge.field, svc.now()
        )
        if found is not None:
            return found
    info = svc.project(project_id)
    bundle = svc.bundle(project_id)
    from trackrecord.metrics import get_metric

    row = _transient_row(info, bundle, get_metric(info.metric).greater_is_better)
    with svc.session() as s:
        return leaderboard.build(s, row, bundle.challenge.field, svc.now())


def project_basics(
    svc: Service, user_id: int, project_id: str, info: ProjectInfo, bundle: Bundle
) -> dict[str, Any]:
    """What the project page and the API's challenge endpoint both show: the metric's
    direction, the public files, the daily quota and whether the deadline has passed."""
    from trackrecord.metrics import get_metric

    q = quota(svc, user_id, project_id, bundle)
    return {
        "greater_is_better": get_metric(info.metric).greater_is_better,
        "files": [p.relative_to(bundle.public_dir).as_posix() for p in bundle.public_files()],
        "per_day": q.per_day,
        "left_today": q.left_today,
        "final_picks": q.final_picks,
        "deadline_passed": info.deadline is not None and svc.now() >= info.deadline,
    }


def project_data(svc: Service, user_id: int, project_id: str) -> dict[str, Any]:
    """The API's challenge endpoint: the project as you may see it, your submissions and
    progress, and `project_basics`."""
    check_listed(svc, user_id, project_id)  # a built-in project the server hides: 404
    info = svc.project(project_id)
    bundle = svc.bundle(project_id)
    subs = svc.submissions(user_id, project_id)
    status = next((p for p in svc.status(user_id).projects if p.id == project_id), None)
    finalized = status is not None and status.state == "finalized"
    return {
        "project": as_seen_by(info, finalized),  # private lines only once finalized
        **project_basics(svc, user_id, project_id, info, bundle),
        "submissions": subs,
        "state": status.state if status else "new",
        "best_public": status.best_public if status else None,
        "medal": status.medal if status else None,
        "private_score": status.private_score if status else None,
    }


def data_zip(svc: Service, project_id: str, user_id: int | None = None) -> Path:
    """A zip of what a learner receives: public/ files, starter/ files and the brief.

    Written to a temporary file the caller deletes; private/ is never read. With `user_id`,
    a built-in project the server hides from that learner is refused (404).
    """
    if user_id is not None:
        check_listed(svc, user_id, project_id)
    bundle = svc.bundle(project_id)
    fd, name = tempfile.mkstemp(prefix=f"trackrecord-{project_id}-", suffix=".zip")
    path = Path(name)
    with open(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{project_id}/README.md", bundle.description)
        for file in bundle.public_files():
            zf.write(file, f"{project_id}/data/{file.relative_to(bundle.public_dir).as_posix()}")
        if bundle.starter_dir.is_dir():
            for file in sorted(p for p in bundle.starter_dir.rglob("*") if p.is_file()):
                zf.write(file, f"{project_id}/{file.relative_to(bundle.starter_dir).as_posix()}")
    return path
