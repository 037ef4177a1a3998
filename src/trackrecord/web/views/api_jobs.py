"""Code submissions in the JSON API (/api/v1): send a script or a notebook to be run in the
sandbox and scored, list your jobs, follow one, cancel a queued one (service/jobs.py).

A job answers as `trackrecord.service.jobs.JobView`: its state (queued, running, scored,
failed, cancelled), its place in the queue while queued, the failure's kind and reason with
the last lines of stderr, and once scored the submission's number and its public score.
Private scores never appear here: they belong to the submission, once finalized.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from trackrecord.service import jobs as service_jobs
from trackrecord.service.jobs import JobView
from trackrecord.store.accounts import MAX_ROW_ID
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, require_host, web
from trackrecord.web.views.api_schema import Answer, errors
from trackrecord.web.views.jobs import set_code, submit_code_upload

router = APIRouter(tags=["jobs"], default_response_class=Answer)
JOB_ID = Path(ge=1, le=MAX_ROW_ID, description="The job's id (from submitting or listing).")


class JobsOut(BaseModel):
    jobs: list[JobView]


class CodeSetting(BaseModel):
    accepts_code: bool = Field(description="Learners may send code to this challenge.")


class CodeSettingOut(CodeSetting):
    project_id: str


@router.post(
    "/challenges/{project_id}/jobs",
    status_code=201,
    response_model=JobView,
    responses=errors(401, 404, 409, 413, 422, 429),
)
def submit_code(
    request: Request,
    project_id: str,
    code: UploadFile = File(..., description="A Python script (.py) or a notebook (.ipynb)."),
    note: str | None = Form(None, max_length=1000),
    account: Account = Depends(require_account),
) -> Response:
    """Queue code to be run in the sandbox and scored (`trackrecord submit ID --code FILE
    --server URL`). It reads input/ (TRACKRECORD_INPUT) and writes output/submission.csv
    (TRACKRECORD_OUTPUT); follow it with GET /jobs/{job_id}. Refused before anything is
    stored when the challenge takes no code (409), the code is too large (413) or you have
    too many jobs in flight (429)."""
    web(request).limit("submit", f"user:{account.id}")
    job = submit_code_upload(request, account, project_id, code, note)
    return Answer(job, status_code=201)


@router.get("/jobs", response_model=JobsOut, responses=errors(401, 404, 422))
def list_jobs(
    request: Request,
    project: str | None = Query(None, max_length=200, description="Only this challenge's."),
    account: Account = Depends(require_account),
) -> Response:
    """Your jobs, newest first (`trackrecord jobs [ID] --json`)."""
    found = service_jobs.list_jobs(web(request).service, account.id, project or None)
    return Answer({"jobs": found})


@router.get("/jobs/{job_id}", response_model=JobView, responses=errors(401, 404, 422))
def get_job(
    request: Request, job_id: int = JOB_ID, account: Account = Depends(require_account)
) -> Response:
    """One of your jobs: its state, queue position, reason and stderr tail, its score."""
    return Answer(service_jobs.get_job(web(request).service, account.id, job_id))


@router.post("/jobs/{job_id}/cancel", response_model=JobView, responses=errors(401, 404, 409, 422))
def cancel_job(
    request: Request, job_id: int = JOB_ID, account: Account = Depends(require_account)
) -> Response:
    """Cancel one of your queued jobs (409 once it runs or has ended)."""
    return Answer(service_jobs.cancel_job(web(request).service, account.id, job_id))


@router.put(
    "/host/challenges/{slug}/code",
    response_model=CodeSettingOut,
    responses=errors(401, 403, 404, 413, 422),
    tags=["host"],
)
def host_code(
    request: Request, slug: str, body: CodeSetting, account: Account = Depends(require_host)
) -> Response:
    """(its host, or an admin) Turn code submissions on or off for a hosted challenge."""
    set_code(web(request).service, account, slug, body.accepts_code)
    return Answer({"project_id": slug, "accepts_code": body.accepts_code})
