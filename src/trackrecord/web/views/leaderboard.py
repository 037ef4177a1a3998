"""The leaderboard page: public board, private board when due, reference models marked."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from trackrecord.web.accounts import Account
from trackrecord.web.data import board
from trackrecord.web.deps import require_account, web
from trackrecord.web.render import page

router = APIRouter()


@router.get("/projects/{project_id}/leaderboard", name="leaderboard")
def leaderboard_page(
    request: Request, project_id: str, me: Account = Depends(require_account)
) -> Response:
    lb = board(web(request).service, project_id)
    return page(
        request,
        "leaderboard.html",
        {"title": f"Leaderboard · {lb.title}", "board": lb, "me_id": me.id},
    )
