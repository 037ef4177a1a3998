"""What the project page and its finalize confirmation show, built from the service.

The page reads one `ProjectReport`: while the learner works, its `estimate` (best judged
public score against the public lines); once finalized, its `result` (the private score and
medal, the private lines, the place on the private board, the reference code). Private
lines are never put in the page's data before that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trackrecord.jobs.queue import IN_FLIGHT
from trackrecord.service import Service, SubmissionView, teams
from trackrecord.service import jobs as service_jobs
from trackrecord.service.projects import find_row
from trackrecord.web.data import STEPS, brief_html, project_basics
from trackrecord.web.highlight import code_html


def _find(subs: Sequence[SubmissionView], sub_id: int | None) -> SubmissionView | None:
    return next((s for s in subs if s.id == sub_id), None)


def project_page_data(
    svc: Service, user_id: int, project_id: str, submitted: int | None = None
) -> dict[str, Any]:
    """Everything the project page shows; `submitted` is the id of a submission just sent
    (its outcome is shown at the top of the history)."""
    report = svc.project_report(user_id, project_id)
    info = report.project
    bundle = svc.bundle(project_id)
    result = report.result
    code = result.reference_code if result is not None else None
    return {
        "title": info.title,
        "project": info,
        "report": report,
        "state": report.state,
        "result": result,
        **project_basics(svc, user_id, project_id, info, bundle),
        "brief_html": brief_html(bundle.description),
        "steps": STEPS,
        "submissions": report.submissions,
        "submitted": _find(report.submissions, submitted),
        "reference_html": code_html(code) if code else None,
        "upload_error": None,
        "team": teams.team_status(svc, user_id, project_id),  # the panel, templates/_team.html
        "code": jobs_panel(svc, user_id, project_id),  # templates/_jobs.html
        "code_error": None,
    }


JOBS_SHOWN = 20  # the newest; `trackrecord jobs` and GET /api/v1/jobs list them all


def jobs_panel(svc: Service, user_id: int, project_id: str) -> dict[str, Any]:
    """The code panel: whether the project takes code, the limits a run gets, and the
    learner's newest jobs on it. `in_flight` tells the page's script to fetch the list
    again until every job has ended."""
    jobs = service_jobs.list_jobs(svc, user_id, project_id)[:JOBS_SHOWN]
    s = svc.settings
    return {
        "project_id": project_id,
        "accepts": takes_code(svc, project_id),
        "jobs": jobs,
        "in_flight": any(j.state in IN_FLIGHT for j in jobs),
        "limits": {
            "wall_seconds": s.job_wall_seconds,
            "cpu_seconds": s.job_cpu_seconds,
            "memory_mb": s.job_memory_mb,
            "max_code_kb": s.max_code_kb,
            "per_user": s.jobs_per_user,
        },
    }


def finalize_page_data(
    svc: Service, user_id: int, project_id: str, picks: Sequence[int]
) -> dict[str, Any]:
    """The confirmation step: what finalizing with these picks would judge (the service's
    preview; it raises what finalizing would, e.g. before a deadline)."""
    preview = svc.finalize_preview(user_id, project_id, picks)
    info = svc.project(project_id)
    return {
        "title": f"Finalize · {info.title}",
        "project": info,
        "preview": preview,
        "named": list(picks),
    }


def takes_code(svc: Service, project_id: str) -> bool:
    """Whether the project takes code now (service.jobs.accepts_code). A project without a
    stored row is a built-in nobody has sent anything to yet (a host's challenge is stored
    when it is made), so it takes code as built-in projects do."""
    with svc.reading() as s:
        row = find_row(s, project_id)
        return row is None or service_jobs.accepts_code(row)
