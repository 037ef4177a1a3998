"""The catalog page: every project with the learner's progress and path status, filtered."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from trackrecord.service.path import path_catalog
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, web
from trackrecord.web.render import page

router = APIRouter()


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@router.get("/", name="catalog")
def catalog_page(
    request: Request,
    task: str | None = None,
    skill: str | None = None,
    level: str | None = None,
    me: Account = Depends(require_account),
) -> Response:
    svc = web(request).service
    everything = path_catalog(svc, me.id)
    lvl = _int_or_none(level)
    entries = path_catalog(svc, me.id, task=task or None, skill=skill or None, level=lvl)
    data = {
        "title": "Projects",
        "entries": entries,
        "tasks": sorted({e.project.task for e in everything}),
        "skills": sorted({s for e in everything for s in e.project.skills}),
        "levels": sorted({e.project.level for e in everything}),
        "filters": {"task": task or "", "skill": skill or "", "level": lvl},
        "total": len(everything),
        "finalized": sum(e.progress.state == "finalized" for e in everything),
        "started": sum(e.progress.state == "started" for e in everything),
        "recommended": sum(e.path.status == "recommended" for e in everything),
    }
    return page(request, "catalog.html", data)
