"""The catalog page: every project with the learner's progress and path status, filtered.
The class first: the server's own challenges come before the built-in projects (the
service orders them), and a learner can keep only one of the two."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from trackrecord.service.ladder import ladder
from trackrecord.service.path import PathEntry, path_catalog
from trackrecord.service.progress import ORIGINS, Origin, matches, of_origin
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, web
from trackrecord.web.ladder import picture
from trackrecord.web.render import page

router = APIRouter()


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _origin(value: str | None) -> Origin | None:
    return next((o for o in ORIGINS if o == value), None)


def _counts(entries: list[PathEntry]) -> dict[str, int]:
    return {o: sum(of_origin(e.project, o) for e in entries) for o in ORIGINS}


@router.get("/", name="catalog")
def catalog_page(
    request: Request,
    task: str | None = None,
    skill: str | None = None,
    level: str | None = None,
    origin: str | None = None,
    me: Account = Depends(require_account),
) -> Response:
    svc = web(request).service
    everything = path_catalog(svc, me.id)
    lvl, src = _int_or_none(level), _origin(origin)
    entries = [  # the filters list_catalog applies, on the one list already read
        e
        for e in everything
        if matches(e.project, task or None, skill or None, lvl) and of_origin(e.project, src)
    ]
    data = {
        "title": "Projects",
        "entries": entries,
        "tasks": sorted({e.project.task for e in everything}),
        "skills": sorted({s for e in everything for s in e.project.skills}),
        "levels": sorted({e.project.level for e in everything}),
        "filters": {"task": task or "", "skill": skill or "", "level": lvl, "origin": src or ""},
        "origins": _counts(everything),
        "total": len(everything),
        "finalized": sum(e.progress.state == "finalized" for e in everything),
        "started": sum(e.progress.state == "started" for e in everything),
        "recommended": sum(e.path.status == "recommended" for e in everything),
        # the picture shows the whole ladder, whatever the filters keep in the list below
        "pic": picture(ladder(svc, me.id, everything)) if everything else None,
    }
    return page(request, "catalog.html", data)
