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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trackrecord.errors import (
    AuthenticationRequired,
    Conflict,
    NotFound,
    PermissionDenied,
    Problem,
    TrackrecordError,
)
from trackrecord.store.accounts import hash_secret, issue_token
from trackrecord.store.models import ROLES, ApiToken, Invite, User, utcnow
from trackrecord.web.security import hash_password, verify_password

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")
MIN_PASSWORD = 8


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


def _signup_problems(username: str, password: str) -> list[Problem]:
    problems = []
    if not USERNAME_RE.match(username):
        problems.append(
            Problem(
                "3 to 32 characters: lowercase letters, digits, '.', '_', '-'", column="username"
            )
        )
    if len(password) < MIN_PASSWORD:
        problems.append(Problem(f"at least {MIN_PASSWORD} characters", column="password"))
    return problems


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


def signup(
    session: Session,
    username: str,
    password: str,
    *,
    invite: str | None,
    required_invite: str | None,
    display_name: str | None = None,
) -> Account:
    """Create a learner account. The very first account becomes the server's admin.

    When `required_invite` is set, `invite` must match it or a host's invite code.
    """
    username = username.strip().lower()
    problems = _signup_problems(username, password)
    if problems:
        raise InvalidSignup("please fix the sign-up form", problems=problems)
    role = "learner"
    if invite:
        granted = _redeem_invite(session, invite.strip(), utcnow())
        if granted is not None:
            role = granted
        elif not (required_invite and hmac.compare_digest(invite.strip(), required_invite)):
            raise PermissionDenied("that invite code is not valid")
    elif required_invite:
        raise PermissionDenied("this server needs an invite code to sign up; ask your host")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"the username {username!r} is taken")
    if not session.scalar(select(func.count(User.id)).where(User.password_hash.is_not(None))):
        role = "admin"
    user = User(
        username=username,
        display_name=(display_name or "").strip() or None,
        role=role,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return Account.of(user)


def authenticate(session: Session, username: str, password: str) -> Account:
    """The account for a username and password; one message for every failure."""
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        if user is None:
            verify_password(None, password)
        raise AuthenticationRequired("wrong username or password")
    user.last_login_at = utcnow()
    return Account.of(user)


def account(session: Session, user_id: int) -> Account | None:
    user = session.get(User, user_id)
    return Account.of(user) if user is not None and user.is_active else None


def set_role(session: Session, username: str, role: str) -> Account:
    if role not in ROLES:
        raise InvalidSignup(f"role must be one of {', '.join(ROLES)}")
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    user.role = role
    return Account.of(user)


def list_users(session: Session) -> list[Account]:
    users = session.scalars(
        select(User).where(User.password_hash.is_not(None)).order_by(User.id)
    ).all()
    return [Account.of(u) for u in users]


def create_invite(
    session: Session, created_by: int, role: str = "learner", max_uses: int | None = None
) -> str:
    """A new invite code (shown once; stored hashed)."""
    if role not in ROLES:
        raise InvalidSignup(f"role must be one of {', '.join(ROLES)}")
    code = secrets.token_urlsafe(9)
    session.add(
        Invite(code_hash=hash_secret(code), role=role, created_by=created_by, max_uses=max_uses)
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
