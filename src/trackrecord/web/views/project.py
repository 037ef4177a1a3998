"""The project page: brief and four steps, data download, upload, my submissions, plot,
final picks, finalizing. Submitting redirects back to the page (post/redirect/get); an
invalid file re-renders the page with the scorer's located problems. Finalizing takes two
steps, both plain forms (no JavaScript needed): the Finalize button leads to a page that
says what will be judged, and only its confirmation finalizes."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from trackrecord.errors import NotFound, TrackrecordError
from trackrecord.metrics import get_metric
from trackrecord.service import Service, SubmitResult
from trackrecord.web.accounts import Account
from trackrecord.web.data import data_zip
from trackrecord.web.deps import require_account, web
from trackrecord.web.plot import history_svg
from trackrecord.web.project_page import finalize_page_data, project_page_data
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
    data = project_page_data(web(request).service, me.id, project_id, submitted)
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
    data = project_page_data(web(request).service, me.id, project_id)
    data["upload_error"] = {"message": exc.message, "problems": [str(p) for p in exc.problems]}
    return page(request, "project.html", data, status=exc.status)


def _picks(values: Sequence[object]) -> list[int]:
    return [int(v) for v in values if isinstance(v, str) and v.isdigit()]


async def _ticked(
    request: Request, project_id: str, me: Account, action: Callable[[int, str, list[int]], object]
) -> Response:
    """Run `action` (select picks) with the submissions ticked in the form."""
    form = await request.form()
    await run_in_threadpool(action, me.id, project_id, _picks(form.getlist("pick")))
    return RedirectResponse(f"/projects/{project_id}#final", status_code=303)


@router.get("/projects/{project_id}/finalize", name="finalize_confirm")
def finalize_confirm(
    request: Request,
    project_id: str,
    pick: list[int] = Query([], description="Ids of the submissions to judge."),
    me: Account = Depends(require_account),
) -> Response:
    """The confirmation step: which submissions would be judged, with their public scores."""
    data = finalize_page_data(web(request).service, me.id, project_id, pick)
    return page(request, "finalize.html", data)


@router.post("/projects/{project_id}/finalize")
async def finalize_form(
    request: Request, project_id: str, me: Account = Depends(require_account)
) -> Response:
    """Finalize when the form says `confirm=yes` (sent by the confirmation page); any
    other post goes to the confirmation page first, with the ticked picks."""
    form = await request.form()
    picks = _picks(form.getlist("pick"))
    if form.get("confirm") != "yes":
        query = urlencode([("pick", p) for p in picks])
        return RedirectResponse(
            f"/projects/{project_id}/finalize" + (f"?{query}" if query else ""), status_code=303
        )
    await run_in_threadpool(web(request).service.finalize, me.id, project_id, picks)
    return RedirectResponse(f"/projects/{project_id}#result", status_code=303)


@router.post("/projects/{project_id}/picks")
async def picks_form(
    request: Request, project_id: str, me: Account = Depends(require_account)
) -> Response:
    return await _ticked(request, project_id, me, web(request).service.select_picks)


@router.get("/projects/{project_id}/data.zip", name="data_zip")
def download(request: Request, project_id: str, me: Account = Depends(require_account)) -> Response:
    path = data_zip(web(request).service, project_id, me.id)
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
    # Public scores against the public lines, before and after finalizing alike.
    svg = history_svg(subs, info.public_thresholds, gib, info.metric, "public")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})
