"""The database schema as SQLAlchemy 2 typed models.

One schema serves both modes. Personal mode has a single local user; the hosted server adds
accounts, tokens, invites, deadlines and final picks on the same tables. Rows that record
what happened (submissions, picks, finalizations) are append-only: a submission changes only
its status, a withdrawn pick gets `withdrawn_at`, and nothing is deleted.

Enumerated values are strings guarded by CHECK constraints rather than database enums, so
adding a value later is a one-line migration on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("admin", "host", "learner")
SOURCES = ("builtin", "uploaded")
STATUSES = ("pending", "scored", "invalid", "error")  # this release writes scored and invalid
MEDALS = ("bronze", "silver", "gold")
LOCAL_USERNAME = "local"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, str: String(255)}


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    display_name: Mapped[str | None]
    role: Mapped[str] = mapped_column(String(16), default="learner")
    password_hash: Mapped[str | None]  # argon2; NULL for the personal-mode local user
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class ApiToken(Base):
    """A bearer token: only its sha256 is stored; `prefix` lets people tell tokens apart."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginSession(Base):
    """A signed-in browser session. The cookie holds a random id; only its sha256 is stored.
    A session is valid while it is neither revoked (logout, password change, the user
    disabled) nor expired, so ending one takes effect in every server process at once."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Invite(Base):
    """A sign-up invite; the code is shown once and stored as its sha256."""

    __tablename__ = "invites"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="learner")
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    max_uses: Mapped[int | None] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Challenge(Base):
    """A project learners submit to: a built-in catalog project or an uploaded bundle.

    `bundle_ref` says where the bundle lives: `catalog:<id>` (built by the catalog under the
    data directory) or `blob:<sha256>` (an uploaded zip in the blob store). The descriptive
    columns are copied from the bundle when the row is created, so lists and leaderboards
    need no bundle on disk.
    """

    __tablename__ = "challenges"
    __table_args__ = (CheckConstraint(_in("source", SOURCES), name="source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(16))
    bundle_ref: Mapped[str] = mapped_column(String(1024))
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str]
    task: Mapped[str] = mapped_column(String(64))
    metric: Mapped[str] = mapped_column(String(64))
    greater_is_better: Mapped[bool] = mapped_column(Boolean)
    difficulty: Mapped[int] = mapped_column(Integer, default=3)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    baseline: Mapped[float | None] = mapped_column(Double)
    reference: Mapped[float | None] = mapped_column(Double)
    gold: Mapped[float | None] = mapped_column(Double)
    # The same medal lines scored on the public split: estimates before finalizing use these.
    public_baseline: Mapped[float | None] = mapped_column(Double)
    public_reference: Mapped[float | None] = mapped_column(Double)
    public_gold: Mapped[float | None] = mapped_column(Double)
    score_se: Mapped[float | None] = mapped_column(Double)  # bootstrap SE, private split
    per_day: Mapped[int] = mapped_column(Integer)
    final_picks: Mapped[int] = mapped_column(Integer)
    # The most members a team may have; 0 or 1: no teams (see service/teams.py).
    team_size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    hosted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether learners may submit code (trackrecord.jobs): NULL means the default of the
    # source, on for built-in projects and off for a host's challenge until the host turns
    # it on (service.jobs.accepts_code reads it).
    accepts_code: Mapped[bool | None] = mapped_column(Boolean)
    opens_at: Mapped[datetime | None]
    deadline: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Enrollment(Base):
    """A user started (or joined) a challenge."""

    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "challenge_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)


class Team(Base):
    """Learners who compete on one challenge as one entrant: one daily quota, one board row,
    one set of final picks and one finalization. Members join with `code` (shown to them)."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("challenge_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"))
    name: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamMember(Base):
    """A learner in a team; at most one team per learner and challenge. A merge moves the
    members into the other team as new rows (so the board's version changes)."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("user_id", "challenge_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(Base):
    """One uploaded file and its outcome. The file itself is the blob `file_sha256`."""

    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        Index("ix_submissions_user_challenge_created", "user_id", "challenge_id", "created_at"),
        Index("ix_submissions_challenge_status_id", "challenge_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_sha256: Mapped[str] = mapped_column(String(64))
    original_filename: Mapped[str]
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    public_score: Mapped[float | None] = mapped_column(Double)
    private_score: Mapped[float | None] = mapped_column(Double)
    rows: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # TrackrecordError.to_dict()
    note: Mapped[str | None] = mapped_column(Text)
    # Made after the user finalized the project: scored for learning, never for the medal.
    practice: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class FinalPick(Base):
    """A submission chosen for the private leaderboard; withdrawn picks are kept, marked."""

    __tablename__ = "final_picks"
    __table_args__ = (Index("ix_final_picks_user_challenge", "user_id", "challenge_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]


class Finalization(Base):
    """The revealed result of a user on a challenge: at most one per user and challenge."""

    __tablename__ = "finalizations"
    __table_args__ = (
        UniqueConstraint("user_id", "challenge_id"),
        CheckConstraint(f"medal IS NULL OR {_in('medal', MEDALS)}", name="medal"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    public_score: Mapped[float] = mapped_column(Double)
    private_score: Mapped[float] = mapped_column(Double)
    medal: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The track record (trackrecord.ledger) ---------------------------------------------------

ORIGINS = ("self-scored", "host-verified", "reproduced")
CREDENTIAL_KINDS = ("result", "submission")


class LedgerRecord(Base):
    """One signed credential (a VC-JWT) in its issuer's append-only, hash-chained ledger.

    Records are inserted, never updated or deleted (the ORM refuses, and database triggers
    from migration 0004 refuse too). The unique (issuer, position) makes two concurrent
    appends at the same head fail instead of forking the chain; the loser retries on the
    new head. The unique (issuer, kind, submission_id, user_id) allows one credential of a
    kind per file and holder: every member of a team holds a result for the team's file
    (migration 0007). A credential of another issuer (a host's, fetched by the learner) is chained
    in the learner's own ledger under that issuer's id. `hash` follows trackrecord.ledger.
    chain.record_hash; `status_list`/`status_index` locate its revocation bit, if any.
    """

    __tablename__ = "ledger_records"
    __table_args__ = (
        UniqueConstraint("issuer", "position"),
        UniqueConstraint("issuer", "kind", "submission_id", "user_id"),
        UniqueConstraint("status_list", "status_index"),
        CheckConstraint(_in("origin", ORIGINS), name="origin"),
        CheckConstraint(_in("kind", CREDENTIAL_KINDS), name="kind"),
        CheckConstraint("position >= 0", name="position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(512))
    position: Mapped[int] = mapped_column(Integer)
    credential_id: Mapped[str] = mapped_column(String(255), unique=True)  # the jti
    credential: Mapped[str] = mapped_column(Text)  # the VC-JWT
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(512), index=True)  # credentialSubject.id
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    status_list: Mapped[str | None] = mapped_column(String(1024))
    status_index: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CredentialRevocation(Base):
    """A credential its issuer revoked, with the reason (a new row: the record stays)."""

    __tablename__ = "credential_revocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("ledger_records.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerIssuer(Base):
    """Another issuer whose credentials this ledger holds (a host's): its public keys as
    fetched, and from where. The local issuer's keys live in HOME/keys."""

    __tablename__ = "ledger_issuers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(512), unique=True)
    name: Mapped[str]
    source: Mapped[str] = mapped_column(String(1024))  # the URL of its jwks.json or did.json
    jwks: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


# Code submissions (trackrecord.jobs) ------------------------------------------------------

JOB_STATES = ("queued", "running", "scored", "failed", "cancelled")


class Job(Base):
    """A code submission and its run: the database is the source of truth for its state.

    queued -> running (a worker holds a lease until `lease_expires_at`, renewed by its
    heartbeat) -> scored | failed | cancelled. `attempts` counts the runs started; a run
    whose lease expired is started once more, then the job fails (jobs/queue.py). The
    code itself is kept here (at most `max_code_kb`), so a worker needs only the database
    to fetch it. `failure` is a short kind ("time-limit", "crashed", ...), `reason` the
    sentence a learner reads; `submission_id` is the scored (or invalid) file the run made.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_in("state", JOB_STATES), name="state"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_jobs_state_id", "state", "id"),
        Index("ix_jobs_user_state", "user_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None]
    lease_expires_at: Mapped[datetime | None]
    code: Mapped[bytes] = mapped_column(LargeBinary)
    code_filename: Mapped[str]
    code_sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    failure: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    stderr_tail: Mapped[str | None] = mapped_column(Text)
    environment: Mapped[dict[str, str] | None] = mapped_column(JSON)
    wall_seconds: Mapped[float | None] = mapped_column(Double)
    cpu_seconds: Mapped[float | None] = mapped_column(Double)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
