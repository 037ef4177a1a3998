"""Sign-up, sign-in, sign-out and the account page (API tokens)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from trackrecord.errors import TrackrecordError
from trackrecord.store.accounts import revoke_token
from trackrecord.web import accounts
from trackrecord.web.accounts import Account
from trackrecord.web.deps import client_ip, login_session, require_account, web
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
        "invite_required": bool(settings.invite_code),
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
        state.limit("login", f"ip:{client_ip(request)}")
        state.limit("login", f"user:{username.strip().lower()}")
        with state.service.session() as s:
            found = accounts.authenticate(s, username, password)
    except TrackrecordError as exc:
        return _form_page(
            request, "login.html", exc, title="Sign in", next=safe_next(next), username=username
        )
    login_session(request, found.id)
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/signup", name="signup")
def signup_page(request: Request) -> Response:
    if not web(request).settings.hosted:
        return RedirectResponse("/", status_code=303)
    return _form_page(request, "signup.html", title="Sign up", username="", display_name="")


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
            )
    except TrackrecordError as exc:
        return _form_page(
            request,
            "signup.html",
            exc,
            title="Sign up",
            username=username,
            display_name=display_name or "",
        )
    login_session(request, made.id)
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    login_session(request, None)
    return RedirectResponse("/login" if web(request).settings.hosted else "/", status_code=303)


def _account_data(request: Request, me: Account, **extra: object) -> dict[str, object]:
    with web(request).service.session() as s:
        tokens = accounts.list_tokens(s, me.id)
    return {"title": "Account", "account": me, "tokens": tokens, "new_token": None, **extra}


@router.get("/account", name="account")
def account_page(request: Request, me: Account = Depends(require_account)) -> Response:
    return page(request, "account.html", _account_data(request, me))


@router.post("/account/tokens")
def create_token(
    request: Request, name: str = Form("web"), me: Account = Depends(require_account)
) -> Response:
    with web(request).service.session() as s:
        plain, _ = accounts.new_token(s, me.id, name)
    return page(request, "account.html", _account_data(request, me, new_token=plain))


@router.post("/account/tokens/{token_id}/revoke")
def revoke(request: Request, token_id: int, me: Account = Depends(require_account)) -> Response:
    with web(request).service.session() as s:
        revoke_token(s, token_id, user_id=me.id)
    web(request).tokens.clear()
    return RedirectResponse("/account", status_code=303)
