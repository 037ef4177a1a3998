"""The teacher's view: the learners x challenges table of a host's challenges (admins: all
of them), as a page and as CSV (`trackrecord.classroom` builds it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from trackrecord import classroom
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_host, web
from trackrecord.web.render import page
from trackrecord.web.views.host import actor

router = APIRouter(prefix="/host")


@router.get("/class", name="class_table")
def class_page(request: Request, me: Account = Depends(require_host)) -> Response:
    state = web(request)
    table = classroom.class_table(state.service, actor(me))
    data = {
        "title": "Host · Class",
        "table": table,
        "columns": classroom.CSV_COLUMNS,
        "builtin_hidden": state.settings.hosted and state.settings.hide_builtin_catalog,
    }
    return page(request, "classroom.html", data)


@router.get("/class.csv", name="class_csv")
def class_csv(request: Request, me: Account = Depends(require_host)) -> Response:
    table = classroom.class_table(web(request).service, actor(me))
    return Response(
        classroom.export_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="class.csv"'},
    )
