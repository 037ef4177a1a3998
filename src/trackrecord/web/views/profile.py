"""The profile page: medals, progress over the projects that exist, per-skill progress."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, web
from trackrecord.web.plot import skills_svg
from trackrecord.web.render import page

router = APIRouter()


def skills_table(entries: list) -> list[dict[str, object]]:  # type: ignore[type-arg]
    """Per skill: projects in the catalog, started, finalized and medals earned."""
    table: dict[str, dict[str, int]] = defaultdict(
        lambda: {"projects": 0, "started": 0, "finalized": 0, "medals": 0}
    )
    for e in entries:
        for skill in e.project.skills:
            row = table[skill]
            row["projects"] += 1
            row["started"] += e.progress.state != "new"
            row["finalized"] += e.progress.state == "finalized"
            row["medals"] += e.progress.medal is not None
    return [{"skill": k, **v} for k, v in sorted(table.items())]


@router.get("/profile", name="profile")
def profile_page(request: Request, me: Account = Depends(require_account)) -> Response:
    svc = web(request).service
    report = svc.status(me.id)
    entries = svc.list_catalog(me.id)
    estimates = svc.skills(me.id)
    data = {
        "title": "Profile",
        "estimates": [
            {"skill": e.skill, "mean": e.mean, "low": e.low, "high": e.high, "n": e.n_attempts}
            for e in sorted(estimates, key=lambda e: -e.mean)
        ],
        "account": me,
        "report": report,
        "total": max(report.total_projects, 1),  # the projects that exist now
        "skills": skills_table(entries),
    }
    return page(request, "profile.html", data)


@router.get("/profile/skills.svg", name="skills_chart")
def skills_chart(request: Request, me: Account = Depends(require_account)) -> Response:
    svg = skills_svg(web(request).service.skills(me.id))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})
