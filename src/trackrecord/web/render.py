"""Render one data dict as JSON or as an HTML page (the datasette way: views build data)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from trackrecord.service import render as words

TEMPLATES = Path(__file__).with_name("templates")


def jsonable(value: Any) -> Any:
    """Plain JSON values: dataclasses and `to_dict()` objects expanded, NaN/inf as null."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return jsonable(value.to_dict())
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.name
    if hasattr(value, "item"):  # numpy scalars
        return jsonable(value.item())
    return value


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(jsonable(content), ensure_ascii=False).encode("utf-8")


def num(value: float | None, digits: int = 6) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}g}"


def when(value: datetime | None) -> str:
    return "–" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    # The templates ship with the package and never change under a running server: no
    # stat() of each template file on every page (6% of a leaderboard view's time).
    templates.env.auto_reload = False
    templates.env.filters["num"] = num
    templates.env.filters["when"] = when
    templates.env.globals["Markup"] = Markup
    # The service's wording, so pages say what the CLI and the notebook say.
    for name in ("estimate_text", "medal_text", "lines_text", "place_text", "ordinal"):
        templates.env.globals[name] = getattr(words, name)
    return templates


def page(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    """The HTML page for `data`, with what every page needs (who is signed in, CSRF token)."""
    web = request.app.state.web
    context = {
        "request": request,
        "me": getattr(request.state, "account", None),
        "hosted": web.settings.hosted,
        "csrf_token": web.sessions.csrf_token(getattr(request.state, "session", {})),
        **data,
    }
    response: HTMLResponse = web.templates.TemplateResponse(
        request, template, context, status_code=status
    )
    return response
