"""Host pages: create challenges (bundle upload or catalog), deadlines and quotas, every
submission, CSV export, invite codes, and (admins) roles."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from trackrecord import hosting
from trackrecord.errors import InvalidBundle, NotFound, Problem
from trackrecord.service import Service
from trackrecord.web import accounts
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_admin, require_host, web
from trackrecord.web.render import page
from trackrecord.web.views.project import save_upload

router = APIRouter(prefix="/host")


def parse_deadline(text: str | None) -> datetime | None:
    """A deadline from a form or the API: ISO 8601; without a zone it is taken as UTC."""
    if not text or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidBundle(
            "the deadline is not a date and time",
            problems=[
                Problem(f"{text!r} is not ISO 8601 (e.g. 2030-06-30T23:59)", column="deadline")
            ],
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_int(text: str | None) -> int | None:
    if text is None or not str(text).strip():
        return None
    try:
        return int(str(text).strip())
    except ValueError:
        raise InvalidBundle("a number is expected", problems=[Problem(repr(text))]) from None


def challenge_settings(
    deadline: str | None,
    per_day: str | None,
    final_picks: str | None,
    clear_deadline: bool = False,
    *,
    team_size: str | None = None,
) -> hosting.ChallengeSettings:
    return hosting.ChallengeSettings(
        deadline=parse_deadline(deadline),
        clear_deadline=clear_deadline,
        per_day=parse_int(per_day),
        final_picks=parse_int(final_picks),
        team_size=parse_int(team_size),
    )


def actor(me: Account) -> hosting.Actor:
    """The host asking: a challenge is its creator's; admins act on all of them."""
    return hosting.Actor(me.id, me.role == "admin")


def hosted_row(svc: Service, me: Account, slug: str) -> tuple[hosting.HostedChallenge, bool]:
    """One of the challenges `me` hosts (404 when not theirs) and whether its deadline has
    passed."""
    row = next((c for c in hosting.hosted_challenges(svc, actor(me)) if c.id == slug), None)
    if row is None:
        raise NotFound(f"no hosted challenge {slug!r} of yours")
    return row, row.deadline is not None and row.deadline <= svc.now()


def _host_data(request: Request, me: Account, **extra: object) -> dict[str, object]:
    svc = web(request).service
    data: dict[str, object] = {
        "title": "Host",
        "challenges": hosting.hosted_challenges(svc, actor(me)),
        "catalog": [m for m in svc.catalog.list_projects()],
        "users": [],
        "new_invite": None,
        "form_error": None,
    }
    if me.role == "admin" and web(request).settings.hosted:
        with svc.session() as s:
            data["users"] = accounts.list_users(s)
    data.update(extra)
    return data


@router.get("", name="host")
def host_page(request: Request, me: Account = Depends(require_host)) -> Response:
    return page(request, "host.html", _host_data(request, me))


@router.post("/challenges")
def create_upload(
    request: Request,
    bundle: UploadFile = File(...),
    deadline: str | None = Form(None),
    per_day: str | None = Form(None),
    final_picks: str | None = Form(None),
    team_size: str | None = Form(None),
    me: Account = Depends(require_host),
) -> Response:
    svc = web(request).service
    try:
        settings = challenge_settings(deadline, per_day, final_picks, team_size=team_size)
        with tempfile.TemporaryDirectory(prefix="trackrecord-bundle-") as tmp:
            path = save_upload(bundle, Path(tmp))
            info = hosting.create_from_upload(svc, path, created_by=me.id, settings=settings)
    except InvalidBundle as exc:
        error = {"message": exc.message, "problems": [str(p) for p in exc.problems]}
        return page(request, "host.html", _host_data(request, me, form_error=error), status=422)
    return RedirectResponse(f"/host/challenges/{info.id}", status_code=303)


@router.post("/challenges/from-catalog")
def create_catalog(
    request: Request,
    project_id: str = Form(...),
    slug: str | None = Form(None),
    deadline: str | None = Form(None),
    per_day: str | None = Form(None),
    final_picks: str | None = Form(None),
    team_size: str | None = Form(None),
    me: Account = Depends(require_host),
) -> Response:
    info = hosting.create_from_catalog(
        web(request).service,
        project_id,
        slug=(slug or "").strip() or None,
        created_by=me.id,
        settings=challenge_settings(deadline, per_day, final_picks, team_size=team_size),
    )
    return RedirectResponse(f"/host/challenges/{info.id}", status_code=303)


@router.get("/challenges/{slug}", name="host_challenge")
def challenge_page(request: Request, slug: str, me: Account = Depends(require_host)) -> Response:
    svc = web(request).service
    records = hosting.all_submissions(svc, slug, actor=actor(me))
    info = svc.project(slug)
    row, passed = hosted_row(svc, me, slug)
    data = {
        "title": f"Host · {info.title}",
        "project": info,
        "challenge": row,
        "records": records,
        "deadline_passed": passed,
    }
    return page(request, "host_challenge.html", data)


@router.post("/challenges/{slug}")
def update_challenge(
    request: Request,
    slug: str,
    deadline: str | None = Form(None),
    per_day: str | None = Form(None),
    final_picks: str | None = Form(None),
    clear_deadline: bool = Form(False),
    team_size: str | None = Form(None),
    me: Account = Depends(require_host),
) -> Response:
    hosting.configure(
        web(request).service,
        slug,
        challenge_settings(deadline, per_day, final_picks, clear_deadline, team_size=team_size),
        actor=actor(me),
    )
    return RedirectResponse(f"/host/challenges/{slug}", status_code=303)


@router.get("/challenges/{slug}/export.csv", name="export")
def export(request: Request, slug: str, me: Account = Depends(require_host)) -> Response:
    text = hosting.export_csv(hosting.all_submissions(web(request).service, slug, actor=actor(me)))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}-submissions.csv"'},
    )


@router.post("/invites")
def create_invite(
    request: Request,
    role: str = Form("learner"),
    max_uses: str | None = Form(None),
    me: Account = Depends(require_host),
) -> Response:
    if role != "learner" and me.role != "admin":
        role = "learner"  # only admins invite hosts and admins
    state = web(request)
    try:
        with state.service.session() as s:
            code = accounts.create_invite(
                s, me.id, role, parse_int(max_uses), limit=state.settings.max_invite_uses
            )
    except (accounts.InvalidSignup, InvalidBundle) as exc:
        error = {"message": exc.message, "problems": [str(p) for p in exc.problems]}
        return page(request, "host.html", _host_data(request, me, form_error=error), status=422)
    link = f"{str(request.base_url).rstrip('/')}/signup?invite={code}"
    invite = {"code": code, "role": role, "link": link}
    return page(request, "host.html", _host_data(request, me, new_invite=invite))


@router.post("/users/{username}/role")
def set_role(
    request: Request, username: str, role: str = Form(...), me: Account = Depends(require_admin)
) -> Response:
    with web(request).service.session() as s:
        accounts.set_role(s, username, role)
    web(request).tokens.clear()
    return RedirectResponse("/host#users", status_code=303)
