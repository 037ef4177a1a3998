"""Accounts: sign-up (with an invite code when the host requires one), log-in, roles, tokens.

These are the hosted server's use cases on the store's User/Invite/ApiToken rows. Passwords
are argon2id hashes; invite codes and API tokens are stored as sha256 digests only.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trackrecord.errors import (
    AuthenticationRequired,
    Conflict,
    NotFound,
    PermissionDenied,
    Problem,
    TrackrecordError,
)
from trackrecord.store.accounts import end_user_sessions, hash_secret, issue_token
from trackrecord.store.models import ROLES, ApiToken, Invite, User, utcnow
from trackrecord.web.security import hash_password, verify_password

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 reads all of it: a bound keeps a sign-in cheap
MAX_DISPLAY_NAME = 64
MAX_INVITE_CODE = 128


class InvalidSignup(TrackrecordError):
    status = 422
    code = "invalid_signup"


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str | None
    role: str

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(user.id, user.username, user.display_name, user.role)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
        }

    @property
    def can_host(self) -> bool:
        return self.role in ("host", "admin")


def _signup_problems(username: str, password: str, display_name: str | None) -> list[Problem]:
    problems = []
    if not USERNAME_RE.match(username):
        problems.append(
            Problem(
                "3 to 32 characters: lowercase letters, digits, '.', '_', '-'", column="username"
            )
        )
    problems += password_problems(password)
    if display_name is not None and len(display_name) > MAX_DISPLAY_NAME:
        problems.append(Problem(f"at most {MAX_DISPLAY_NAME} characters", column="display_name"))
    return problems


def password_problems(password: str, column: str = "password") -> list[Problem]:
    if len(password) < MIN_PASSWORD:
        return [Problem(f"at least {MIN_PASSWORD} characters", column=column)]
    if len(password) > MAX_PASSWORD:
        return [Problem(f"at most {MAX_PASSWORD} characters", column=column)]
    return []


def _redeem_invite(session: Session, code: str, now: datetime) -> str | None:
    """The role an invite row grants, consuming one use; None if the code is not valid."""
    invite = session.scalars(
        select(Invite).where(Invite.code_hash == hash_secret(code)).with_for_update()
    ).first()
    if invite is None or invite.revoked_at is not None:
        return None
    if invite.expires_at is not None and invite.expires_at <= now:
        return None
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return None
    invite.uses += 1
    return invite.role


def _signup_role(
    session: Session, invite: str | None, required_invite: str | None, open_signup: bool
) -> str:
    """The role sign-up grants: an invite row's, else learner. Without `open_signup` an
    invite is needed: a host's code or `required_invite`."""
    code = (invite or "").strip()[:MAX_INVITE_CODE]
    if code:
        granted = _redeem_invite(session, code, utcnow())
        if granted is not None:
            return granted
        if required_invite and hmac.compare_digest(code, required_invite):
            return "learner"
        raise PermissionDenied("that invite code is not valid")
    if required_invite or not open_signup:
        raise PermissionDenied("this server needs an invite code to sign up; ask your host")
    return "learner"


def signup(
    session: Session,
    username: str,
    password: str,
    *,
    invite: str | None,
    required_invite: str | None,
    display_name: str | None = None,
    open_signup: bool = False,
) -> Account:
    """Create an account with the role its invite grants (a learner by default).

    Signing up never makes an admin by itself: the first admin is made on the command line
    (`trackrecord users create NAME --role admin`). Unless `open_signup`, an invite is
    needed: `required_invite` (the server's code) or a code a host created.
    """
    username = username.strip().lower()
    problems = _signup_problems(username, password, display_name)
    if problems:
        raise InvalidSignup("please fix the sign-up form", problems=problems)
    role = _signup_role(session, invite, required_invite, open_signup)
    return _add_user(session, username, password, role, display_name)


def _add_user(
    session: Session, username: str, password: str, role: str, display_name: str | None
) -> Account:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"the username {username!r} is taken")
    user = User(
        username=username,
        display_name=(display_name or "").strip() or None,
        role=role,
        password_hash=hash_password(password),
    )
    try:
        with session.begin_nested():  # a concurrent sign-up with the same name: 409, not 500
            session.add(user)
    except IntegrityError:
        raise Conflict(f"the username {username!r} is taken") from None
    return Account.of(user)


def create_user(
    session: Session, username: str, password: str, *, role: str, display_name: str | None = None
) -> Account:
    """An account made by the server's operator (the command line), with any role: how the
    first admin comes to be."""
    if role not in ROLES:
        raise InvalidSignup(f"role must be one of {', '.join(ROLES)}")
    username = username.strip().lower()
    problems = _signup_problems(username, password, display_name)
    if problems:
        raise InvalidSignup("the account is not valid", problems=problems)
    return _add_user(session, username, password, role, display_name)


def authenticate(session: Session, username: str, password: str) -> Account:
    """The account for a username and password; one message for every failure."""
    if len(password) > MAX_PASSWORD or len(username) > 64:
        raise AuthenticationRequired("wrong username or password")
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        if user is None:
            verify_password(None, password)
        raise AuthenticationRequired("wrong username or password")
    user.last_login_at = utcnow()
    return Account.of(user)


def _user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None or user.password_hash is None:
        raise NotFound(f"no user {username!r}")
    return user


def set_role(session: Session, username: str, role: str) -> Account:
    if role not in ROLES:
        raise InvalidSignup(f"role must be one of {', '.join(ROLES)}")
    user = _user(session, username)
    user.role = role
    return Account.of(user)


def set_active(session: Session, username: str, active: bool) -> Account:
    """Disable (or enable again) an account. Disabling ends its sessions at once; its API
    tokens are refused from then on (they belong to an inactive user)."""
    user = _user(session, username)
    user.is_active = active
    if not active:
        end_user_sessions(session, user.id)
    return Account.of(user)


def change_password(session: Session, user_id: int, current: str, new: str) -> None:
    """Set a new password after checking the current one; every session of the user ends
    (the caller starts a fresh one for the browser that asked)."""
    user = session.get(User, user_id)
    if user is None or not verify_password(user.password_hash, current[:MAX_PASSWORD]):
        raise InvalidSignup(
            "the current password is not right", problems=[Problem("wrong", column="current")]
        )
    problems = password_problems(new, column="new")
    if problems:
        raise InvalidSignup("please choose another password", problems=problems)
    user.password_hash = hash_password(new)
    end_user_sessions(session, user.id)


@dataclass(frozen=True)
class UserRow:
    """A user as the operator's list shows it."""

    id: int
    username: str
    display_name: str | None
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "active": self.active,
            "created_at": self.created_at.isoformat(),
            "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
        }


def list_users(session: Session) -> list[UserRow]:
    users = session.scalars(
        select(User).where(User.password_hash.is_not(None)).order_by(User.id)
    ).all()
    return [
        UserRow(
            u.id, u.username, u.display_name, u.role, u.is_active, u.created_at, u.last_login_at
        )
        for u in users
    ]


def create_invite(
    session: Session,
    created_by: int,
    role: str = "learner",
    max_uses: int | None = None,
    *,
    limit: int,
) -> str:
    """A new invite code (shown once; stored hashed), good for 1 to `limit` sign-ups
    (None: `limit`; callers pass the max_invite_uses setting)."""
    if role not in ROLES:
        raise InvalidSignup(f"role must be one of {', '.join(ROLES)}")
    if max_uses is not None and not 1 <= max_uses <= limit:
        raise InvalidSignup(
            "the invite is not valid",
            problems=[Problem(f"uses must be 1 to {limit}", column="max_uses")],
        )
    code = secrets.token_urlsafe(9)
    session.add(
        Invite(
            code_hash=hash_secret(code),
            role=role,
            created_by=created_by,
            max_uses=limit if max_uses is None else max_uses,
        )
    )
    return code


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        def iso(d: datetime | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "created_at": iso(self.created_at),
            "last_used_at": iso(self.last_used_at),
            "expires_at": iso(self.expires_at),
            "revoked_at": iso(self.revoked_at),
        }


def _info(t: ApiToken) -> TokenInfo:
    return TokenInfo(
        t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
    )


def new_token(
    session: Session, user_id: int, name: str, expires_at: datetime | None = None
) -> tuple[str, TokenInfo]:
    name = name.strip()[:100] or "token"
    plain, row = issue_token(session, user_id, name, expires_at=expires_at)
    return plain, _info(row)


def list_tokens(session: Session, user_id: int) -> list[TokenInfo]:
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
    ).all()
    return [_info(t) for t in rows]
