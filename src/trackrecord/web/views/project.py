"""The project page: brief and four steps, data download, upload, my submissions, plot,
final picks. Submitting redirects back to the page (post/redirect/get); an invalid file
re-renders the page with the scorer's located problems."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePath

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from trackrecord.errors import NotFound, TrackrecordError
from trackrecord.metrics import get_metric
from trackrecord.service import Service, SubmitResult
from trackrecord.web.accounts import Account
from trackrecord.web.data import data_zip, project_data
from trackrecord.web.deps import require_account, web
from trackrecord.web.plot import history_svg
from trackrecord.web.render import page

router = APIRouter()


def save_upload(upload: UploadFile, folder: Path) -> Path:
    """Copy an upload into `folder` under its base name (never a path the client chose)."""
    name = PurePath((upload.filename or "").replace("\\", "/")).name or "submission.csv"
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    return path


def submit_upload(
    svc: Service, me: Account, project_id: str, upload: UploadFile, note: str | None
) -> SubmitResult:
    with tempfile.TemporaryDirectory(prefix="trackrecord-upload-") as tmp:
        path = save_upload(upload, Path(tmp))
        return svc.submit(me.id, project_id, path, filename=path.name, note=note or None)


@router.get("/projects/{project_id}", name="project")
def project_page(
    request: Request,
    project_id: str,
    submitted: int | None = None,
    me: Account = Depends(require_account),
) -> Response:
    data = project_data(web(request).service, me.id, project_id)
    data.update(title=data["project"].title, submitted=submitted, upload_error=None)
    return page(request, "project.html", data)


@router.post("/projects/{project_id}/submit")
def submit_form(
    request: Request,
    project_id: str,
    file: UploadFile = File(...),
    note: str | None = Form(None),
    me: Account = Depends(require_account),
) -> Response:
    state = web(request)
    try:
        state.limit("submit", f"user:{me.id}")
        result = submit_upload(state.service, me, project_id, file, note)
    except NotFound:
        raise
    except TrackrecordError as exc:  # shown on the page, next to the upload form
        return _with_error(request, me, project_id, exc)
    url = f"/projects/{project_id}?submitted={result.submission.id}#result"
    return RedirectResponse(url, status_code=303)


def _with_error(request: Request, me: Account, project_id: str, exc: TrackrecordError) -> Response:
    data = project_data(web(request).service, me.id, project_id)
    data.update(
        title=data["project"].title,
        submitted=None,
        upload_error={"message": exc.message, "problems": [str(p) for p in exc.problems]},
    )
    return page(request, "project.html", data, status=exc.status)


async def _ticked(
    request: Request, project_id: str, me: Account, action: Callable[[int, str, list[int]], object]
) -> Response:
    """Run `action` (finalize, select picks) with the submissions ticked in the form."""
    form = await request.form()
    picks = [int(v) for v in form.getlist("pick") if isinstance(v, str) and v.isdigit()]
    await run_in_threadpool(action, me.id, project_id, picks)
    return RedirectResponse(f"/projects/{project_id}#final", status_code=303)


@router.post("/projects/{project_id}/finalize")
async def finalize_form(
    request: Request, project_id: str, me: Account = Depends(require_account)
) -> Response:
    return await _ticked(request, project_id, me, web(request).service.finalize)


@router.post("/projects/{project_id}/picks")
async def picks_form(
    request: Request, project_id: str, me: Account = Depends(require_account)
) -> Response:
    return await _ticked(request, project_id, me, web(request).service.select_picks)


@router.get("/projects/{project_id}/data.zip", name="data_zip")
def download(request: Request, project_id: str, me: Account = Depends(require_account)) -> Response:
    path = data_zip(web(request).service, project_id)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"{project_id}.zip",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.get("/projects/{project_id}/history.svg", name="history")
def history(request: Request, project_id: str, me: Account = Depends(require_account)) -> Response:
    svc = web(request).service
    info = svc.project(project_id)
    subs = svc.submissions(me.id, project_id)
    gib = get_metric(info.metric).greater_is_better
    svg = history_svg(subs, info.thresholds, gib, info.metric)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})
