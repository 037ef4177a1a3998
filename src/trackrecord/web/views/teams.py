"""The team panel of a project page: the learner's team (members, join code) on a
challenge that allows teams, with forms to create, join or leave one (service/teams.py).
A refused change re-renders the project page with the reason next to the forms."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from trackrecord.errors import NotFound, TrackrecordError
from trackrecord.service import teams
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, web
from trackrecord.web.project_page import project_page_data
from trackrecord.web.render import page

router = APIRouter()


async def _change(
    request: Request, me: Account, project_id: str, action: Callable[[], object]
) -> Response:
    try:
        await run_in_threadpool(action)
    except NotFound as exc:
        if "has this code" not in exc.message:
            raise  # an unknown project: the error page
        return await _refused(request, me, project_id, exc)
    except TrackrecordError as exc:
        return await _refused(request, me, project_id, exc)
    return RedirectResponse(f"/projects/{project_id}#team", status_code=303)


async def _refused(
    request: Request, me: Account, project_id: str, exc: TrackrecordError
) -> Response:
    svc = web(request).service
    data = await run_in_threadpool(project_page_data, svc, me.id, project_id)
    data["team_error"] = {"message": exc.message, "problems": [str(p) for p in exc.problems]}
    return page(request, "project.html", data, status=exc.status)


@router.post("/projects/{project_id}/team")
async def create_form(
    request: Request,
    project_id: str,
    name: str = Form(..., max_length=200),
    me: Account = Depends(require_account),
) -> Response:
    svc = web(request).service
    return await _change(
        request, me, project_id, lambda: teams.create_team(svc, me.id, project_id, name)
    )


@router.post("/projects/{project_id}/team/join")
async def join_form(
    request: Request,
    project_id: str,
    code: str = Form(..., max_length=200),
    me: Account = Depends(require_account),
) -> Response:
    svc = web(request).service
    return await _change(
        request, me, project_id, lambda: teams.join_team(svc, me.id, project_id, code)
    )


@router.post("/projects/{project_id}/team/leave")
async def leave_form(
    request: Request, project_id: str, me: Account = Depends(require_account)
) -> Response:
    svc = web(request).service
    return await _change(request, me, project_id, lambda: teams.leave_team(svc, me.id, project_id))
