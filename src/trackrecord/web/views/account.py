"""Sign-up, sign-in, sign-out and the account page (API tokens)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from trackrecord.errors import TrackrecordError
from trackrecord.store.accounts import revoke_token
from trackrecord.web import accounts
from trackrecord.web.accounts import Account
from trackrecord.web.deps import (
    client_ip,
    limit_login,
    login_session,
    logout_session,
    require_account,
    web,
)
from trackrecord.web.render import page

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc or "\\" in target else target


def _form_page(
    request: Request, template: str, exc: TrackrecordError | None = None, **data: object
) -> Response:
    error = (
        None
        if exc is None
        else {"message": exc.message, "problems": [str(p) for p in exc.problems]}
    )
    settings = web(request).settings
    context = {
        "title": data.pop("title", ""),
        "error": error,
        "invite_required": bool(settings.invite_code) or not settings.open_signup,
        **data,
    }
    return page(request, template, context, status=exc.status if exc else 200)


@router.get("/login", name="login")
def login_page(request: Request, next: str | None = None) -> Response:
    if not web(request).settings.hosted:
        return RedirectResponse("/", status_code=303)
    return _form_page(request, "login.html", title="Sign in", next=safe_next(next), username="")


@router.post("/login")
def login(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    next: str | None = Form(None),
) -> Response:
    state = web(request)
    try:
        limit_login(request, username)
        with state.service.session() as s:
            found = accounts.authenticate(s, username, password)
    except TrackrecordError as exc:
        return _form_page(
            request, "login.html", exc, title="Sign in", next=safe_next(next), username=username
        )
    login_session(request, found.id)
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/signup", name="signup")
def signup_page(request: Request, invite: str | None = None) -> Response:
    """The sign-up form; an invite link (/signup?invite=CODE) fills in the code."""
    if not web(request).settings.hosted:
        return RedirectResponse("/", status_code=303)
    code = (invite or "").strip()[: accounts.MAX_INVITE_CODE]
    return _form_page(
        request, "signup.html", title="Sign up", username="", display_name="", invite=code
    )


@router.post("/signup")
def signup(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    display_name: str | None = Form(None),
    invite: str | None = Form(None),
) -> Response:
    state = web(request)
    try:
        if not state.settings.hosted:
            raise accounts.InvalidSignup("the personal app has no accounts")
        state.limit("signup", f"ip:{client_ip(request)}")
        with state.service.session(write_lock=True) as s:
            made = accounts.signup(
                s,
                username,
                password,
                invite=invite,
                required_invite=state.settings.invite_code,
                display_name=display_name,
                open_signup=state.settings.open_signup,
            )
    except TrackrecordError as exc:
        return _form_page(
            request,
            "signup.html",
            exc,
            title="Sign up",
            username=username,
            display_name=display_name or "",
            invite=(invite or "").strip()[: accounts.MAX_INVITE_CODE],
        )
    login_session(request, made.id)
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session in the database (the old cookie is refused by every process)."""
    logout_session(request)
    return RedirectResponse("/login" if web(request).settings.hosted else "/", status_code=303)


def _account_data(request: Request, me: Account, **extra: object) -> dict[str, object]:
    with web(request).service.session() as s:
        tokens = accounts.list_tokens(s, me.id)
    return {
        "title": "Account",
        "account": me,
        "tokens": tokens,
        "new_token": None,
        "error": None,
        "notice": None,
        **extra,
    }


@router.post("/account/password")
def change_password(
    request: Request,
    current: str = Form(...),
    new: str = Form(...),
    me: Account = Depends(require_account),
) -> Response:
    """A new password ends every session of the account (other browsers are signed out);
    this browser gets a fresh session."""
    state = web(request)
    try:
        limit_login(request, me.username)
        with state.service.session(write_lock=True) as s:
            accounts.change_password(s, me.id, current, new)
    except TrackrecordError as exc:
        error = {"message": exc.message, "problems": [str(p) for p in exc.problems]}
        data = _account_data(request, me, error=error)
        return page(request, "account.html", data, status=exc.status)
    login_session(request, me.id)
    notice = "Password changed; every other session of your account was signed out."
    return page(request, "account.html", _account_data(request, me, notice=notice))


@router.get("/account", name="account")
def account_page(request: Request, me: Account = Depends(require_account)) -> Response:
    return page(request, "account.html", _account_data(request, me))


@router.post("/account/tokens")
def create_token(
    request: Request, name: str = Form("web"), me: Account = Depends(require_account)
) -> Response:
    with web(request).service.session() as s:
        plain, _ = accounts.new_token(s, me.id, name[:100])
    return page(request, "account.html", _account_data(request, me, new_token=plain))


@router.post("/account/tokens/{token_id}/revoke")
def revoke(request: Request, token_id: int, me: Account = Depends(require_account)) -> Response:
    with web(request).service.session() as s:
        revoke_token(s, token_id, user_id=me.id)
    web(request).tokens.clear()
    return RedirectResponse("/account", status_code=303)
