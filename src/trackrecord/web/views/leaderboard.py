"""The leaderboard page: public board, private board when due, reference models marked.

A board can have thousands of rows, and the same board is shown to every learner until
something changes, so each row's HTML is rendered once per board (the service caches the
board itself) and only the viewer's own row is rendered again, marked "(you)".
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from trackrecord.leaderboard import Leaderboard, Row
from trackrecord.web.accounts import Account
from trackrecord.web.data import board
from trackrecord.web.deps import require_account, web
from trackrecord.web.render import page

router = APIRouter()
NOBODY = -1  # no user has this id: rows rendered for the cache are nobody's own


class RowHtml:
    """Rendered rows of recent boards, keyed by the board object the service's cache holds
    (a changed board is a new object, so an entry is never stale)."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._entries: dict[int, tuple[Leaderboard, list[Markup], list[Markup]]] = {}
        self._lock = threading.Lock()

    def rows(
        self, templates: Any, lb: Leaderboard, me_id: int
    ) -> tuple[list[Markup], list[Markup]]:
        macro = templates.env.get_template("_board.html").module.board_row
        with self._lock:
            entry = self._entries.get(id(lb))
        if entry is None or entry[0] is not lb:
            public = [macro(r, False, NOBODY) for r in lb.public]
            private = [macro(r, True, NOBODY) for r in lb.private or ()]
            entry = (lb, public, private)
            with self._lock:
                while len(self._entries) >= self.size:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[id(lb)] = entry
        return _mine(macro, lb.public, entry[1], me_id, False), _mine(
            macro, lb.private or (), entry[2], me_id, True
        )


def _mine(
    macro: Any, rows: Sequence[Row], html: list[Markup], me_id: int, medal: bool
) -> list[Markup]:
    """The cached rows, with the viewer's own rows rendered for them."""
    mine = [i for i, r in enumerate(rows) if r.has(me_id)]
    if not mine:
        return html
    out = list(html)
    for i in mine:
        out[i] = macro(rows[i], medal, me_id)
    return out


_rows = RowHtml()


PAGE_SIZE = 100


def page_of(
    rows: Sequence[Row], html: list[Markup], number: int, me_id: int
) -> tuple[list[Markup], list[Markup]]:
    """One page of rows, and the viewer's own rows when they stand on another page (shown
    below the page, as Kaggle shows "your position")."""
    start = (number - 1) * PAGE_SIZE
    shown = html[start : start + PAGE_SIZE]
    own = [html[i] for i, r in enumerate(rows) if r.has(me_id)]
    elsewhere = [h for h in own if h not in shown]
    return shown, elsewhere


@router.get("/projects/{project_id}/leaderboard", name="leaderboard")
def leaderboard_page(
    request: Request,
    project_id: str,
    number: int = Query(1, alias="page", ge=1, description="Page of 100 rows."),
    me: Account = Depends(require_account),
) -> Response:
    lb = board(web(request).service, project_id)
    public, private = _rows.rows(web(request).templates, lb, me.id)
    longest = max(len(lb.public), len(lb.private or ()))
    pages = max(1, -(-longest // PAGE_SIZE))
    number = min(number, pages)
    public_page, public_mine = page_of(lb.public, public, number, me.id)
    private_page, private_mine = page_of(lb.private or (), private, number, me.id)
    return page(
        request,
        "leaderboard.html",
        {
            "title": f"Leaderboard · {lb.title}",
            "board": lb,
            "me_id": me.id,
            "public_rows": public_page,
            "public_mine": public_mine,
            "private_rows": private_page,
            "private_mine": private_mine,
            "page": number,
            "pages": pages,
            "page_size": PAGE_SIZE,
        },
    )
