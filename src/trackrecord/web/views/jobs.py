"""Code submissions on the project page: the upload form (for projects that take code), the
learner's jobs with their state, queue position and a Cancel button for queued ones, and
the jobs list alone (`/projects/{id}/jobs`), which the page's script fetches again every
few seconds while a job is in flight, so progress shows without reloading the page.

Uploading redirects back to the page (post/redirect/get); a refused upload re-renders it
with the reason next to the form. The stderr tail a failed job shows is the submitted
code's output: untrusted, so it is only ever put in a page escaped (templates/_jobs.html).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from trackrecord.errors import NotFound, TrackrecordError
from trackrecord.jobs.executor import Executor
from trackrecord.service import Service
from trackrecord.service import jobs as service_jobs
from trackrecord.service.jobs import JobView
from trackrecord.store.accounts import MAX_ROW_ID
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, require_host, web
from trackrecord.web.project_page import jobs_panel, project_page_data, takes_code
from trackrecord.web.render import page
from trackrecord.web.views.host import hosted_row
from trackrecord.web.views.project import save_upload

router = APIRouter()


def executor(request: Request) -> Executor | None:
    """The executor the app started (web/app.py); None: jobs stay queued for a worker."""
    found: Executor | None = getattr(request.app.state, "jobs", None)
    return found


def submit_code_upload(
    request: Request, me: Account, project_id: str, upload: UploadFile, note: str | None
) -> JobView:
    """Store an uploaded script or notebook as a queued job and hand it to the executor;
    the service refuses (before storing anything) what it would not run."""
    with tempfile.TemporaryDirectory(prefix="trackrecord-code-") as tmp:
        path = save_upload(upload, Path(tmp))
        return service_jobs.submit_code(
            web(request).service,
            me.id,
            project_id,
            path,
            filename=path.name,
            note=note or None,
            executor=executor(request),
        )


@router.post("/projects/{project_id}/code")
def code_form(
    request: Request,
    project_id: str,
    code: UploadFile = File(...),
    code_note: str | None = Form(None),
    me: Account = Depends(require_account),
) -> Response:
    state = web(request)
    try:
        state.limit("submit", f"user:{me.id}")
        job = submit_code_upload(request, me, project_id, code, code_note)
    except NotFound:
        raise
    except TrackrecordError as exc:  # shown on the page, next to the code form
        data = project_page_data(state.service, me.id, project_id)
        data["code_error"] = {"message": exc.message, "problems": [str(p) for p in exc.problems]}
        return page(request, "project.html", data, status=exc.status)
    return RedirectResponse(f"/projects/{project_id}#job-{job.id}", status_code=303)


@router.get("/projects/{project_id}/jobs", name="jobs_list")
def jobs_list(
    request: Request,
    project_id: str,
    me: Account = Depends(require_account),
) -> Response:
    """The learner's jobs on this project as the page shows them (an HTML fragment)."""
    data = {"code": jobs_panel(web(request).service, me.id, project_id)}
    response = page(request, "_jobs_list.html", data)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/projects/{project_id}/jobs/{job_id}/cancel")
async def cancel_form(
    request: Request, project_id: str, job_id: int, me: Account = Depends(require_account)
) -> Response:
    """Cancel a queued job of yours; a job that already started (or ended) is left as it is
    and the page says why."""
    svc = web(request).service
    if not 1 <= job_id <= MAX_ROW_ID:
        raise NotFound(f"you have no job {job_id}")
    try:
        await run_in_threadpool(service_jobs.cancel_job, svc, me.id, job_id)
    except NotFound:
        raise
    except TrackrecordError as exc:
        data = await run_in_threadpool(project_page_data, svc, me.id, project_id)
        data["code_error"] = {"message": exc.message, "problems": [str(p) for p in exc.problems]}
        return page(request, "project.html", data, status=exc.status)
    return RedirectResponse(f"/projects/{project_id}#jobs", status_code=303)


# The host's switch ------------------------------------------------------------------


def set_code(svc: Service, me: Account, slug: str, on: bool) -> None:
    """Turn code submissions on or off for a challenge `me` hosts (404 when not theirs)."""
    hosted_row(svc, me, slug)
    service_jobs.set_accepts_code(svc, slug, on)


@router.post("/host/challenges/{slug}/code")
async def host_code_form(
    request: Request,
    slug: str,
    accepts_code: str | None = Form(None),
    me: Account = Depends(require_host),
) -> Response:
    await run_in_threadpool(set_code, web(request).service, me, slug, accepts_code == "on")
    return RedirectResponse(f"/host/challenges/{slug}#code", status_code=303)


def install(templates: Any, service: Service) -> None:
    """Give the host's challenge page its switch: `host_code(slug)` in templates (whether
    the challenge takes code now, templates/_host_code.html)."""

    def host_code(slug: str) -> bool:
        return takes_code(service, slug)

    templates.env.globals["host_code"] = host_code
