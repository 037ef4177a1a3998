"""What the project page and its finalize confirmation show, built from the service.

The page reads one `ProjectReport`: while the learner works, its `estimate` (best judged
public score against the public lines); once finalized, its `result` (the private score and
medal, the private lines, the place on the private board, the reference code). Private
lines are never put in the page's data before that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trackrecord.service import Service, SubmissionView, teams
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
