"""One declared settings table: it drives validation, the CLI help and docs/settings.md.

Precedence: explicit overrides (CLI flags), then the environment, then defaults. Nothing is
read at import time; call `load_settings()` when a command or app starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from trackrecord.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Callable[[], Any]
    parse: Callable[[str], Any]
    help: str


# Limits on what an upload may make the server do (issue 11, findings 2, 3 and 9). The
# scoring and bundle readers take these defaults when no settings are given.
DEFAULT_MAX_EXTRA_ROWS = 1000
DEFAULT_MAX_CELL_BYTES = 256
DEFAULT_MAX_HEADER_BYTES = 64 * 1024
DEFAULT_MAX_EXTRA_COLUMNS = 50
DEFAULT_MAX_BUNDLE_UNPACKED_MB = 512
DEFAULT_MAX_BUNDLE_MEMBERS = 10_000
DEFAULT_INVALID_PER_DAY = 20
DEFAULT_INVALID_RETENTION_DAYS = 7
DEFAULT_GC_GRACE_MINUTES = 60


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("trackrecord", appauthor=False))


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _parse_proxies(value: str) -> str | None:
    """Proxy addresses or networks, comma-separated (each must parse)."""
    import ipaddress

    items = [v.strip() for v in value.split(",") if v.strip()]
    for item in items:
        ipaddress.ip_network(item, strict=False)  # ValueError names the bad one
    return ",".join(items) or None


def _parse_rate(value: str) -> str:
    count, slash, seconds = value.strip().partition("/")
    if not slash or not count.isdigit() or int(count) < 1 or float(seconds) <= 0:
        raise ValueError("expected COUNT/SECONDS, e.g. 10/60")
    return value.strip()


EXECUTORS = ("local", "celery")


def _parse_executor(value: str) -> str:
    name = value.strip().lower()
    if name not in EXECUTORS:
        raise ValueError(f"expected one of {', '.join(EXECUTORS)}")
    return name


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "home",
        "TRACKRECORD_HOME",
        _default_home,
        lambda v: Path(v).expanduser(),
        "Data directory: database, uploaded files, built catalog, keys.",
    ),
    Setting(
        "database_url",
        "TRACKRECORD_DATABASE_URL",
        lambda: None,
        str,
        "SQLAlchemy database URL. Default: SQLite (WAL) at HOME/trackrecord.db.",
    ),
    Setting(
        "db_pool_size",
        "TRACKRECORD_DB_POOL_SIZE",
        lambda: 20,
        int,
        "Database connections a server process keeps open (PostgreSQL); as many again may "
        "open for bursts. Below the number of requests served at once, connections churn.",
    ),
    Setting(
        "max_upload_mb",
        "TRACKRECORD_MAX_UPLOAD_MB",
        lambda: 200,
        int,
        "Largest submission or bundle file accepted, in MiB.",
    ),
    Setting(
        "max_extra_rows",
        "TRACKRECORD_MAX_EXTRA_ROWS",
        lambda: DEFAULT_MAX_EXTRA_ROWS,
        int,
        "Lines a submission may have beyond the challenge's test rows. Reading stops (and the "
        "file is refused) at the first line past that, even inside a compressed file.",
    ),
    Setting(
        "max_cell_bytes",
        "TRACKRECORD_MAX_CELL_BYTES",
        lambda: DEFAULT_MAX_CELL_BYTES,
        int,
        "Bytes per cell a submission may average: a CSV may hold (or decompress to) at most "
        "(test rows + max_extra_rows) x columns x this, plus its header; Parquet likewise.",
    ),
    Setting(
        "max_header_bytes",
        "TRACKRECORD_MAX_HEADER_BYTES",
        lambda: DEFAULT_MAX_HEADER_BYTES,
        int,
        "Longest header line (line 1) of a CSV submission, in bytes; longer ones are refused "
        "before they are parsed.",
    ),
    Setting(
        "max_extra_columns",
        "TRACKRECORD_MAX_EXTRA_COLUMNS",
        lambda: DEFAULT_MAX_EXTRA_COLUMNS,
        int,
        "Columns a submission may have beyond the expected ones; up to this many are each "
        "named in the error, more are refused at once with a count.",
    ),
    Setting(
        "max_bundle_unpacked_mb",
        "TRACKRECORD_MAX_BUNDLE_UNPACKED_MB",
        lambda: DEFAULT_MAX_BUNDLE_UNPACKED_MB,
        int,
        "Largest total size a bundle zip may unpack to, in MiB: checked from the zip's "
        "directory first, then counted while unpacking.",
    ),
    Setting(
        "max_bundle_members",
        "TRACKRECORD_MAX_BUNDLE_MEMBERS",
        lambda: DEFAULT_MAX_BUNDLE_MEMBERS,
        int,
        "Most files (zip members) a bundle zip may hold.",
    ),
    # Invalid uploads and the file store (issue 11, finding 8).
    Setting(
        "invalid_per_day",
        "TRACKRECORD_INVALID_PER_DAY",
        lambda: DEFAULT_INVALID_PER_DAY,
        int,
        "Files that could not be scored a learner may send to one challenge per UTC day. "
        "Once used up, uploads are refused (429) before they are stored or read.",
    ),
    Setting(
        "invalid_retention_days",
        "TRACKRECORD_INVALID_RETENTION_DAYS",
        lambda: DEFAULT_INVALID_RETENTION_DAYS,
        int,
        "Days the file of an invalid submission is kept; `trackrecord admin gc` removes "
        "older ones (the submission and its reasons stay).",
    ),
    Setting(
        "gc_grace_minutes",
        "TRACKRECORD_GC_GRACE_MINUTES",
        lambda: DEFAULT_GC_GRACE_MINUTES,
        int,
        "`trackrecord admin gc` leaves files younger than this alone: unreferenced ones and "
        "temporary files of uploads may belong to an upload in flight.",
    ),
    Setting(
        "hosted",
        "TRACKRECORD_HOSTED",
        lambda: False,
        _parse_bool,
        "Run the server in hosted (multi-user, accounts) mode.",
    ),
    Setting(
        "host",
        "TRACKRECORD_BIND_HOST",
        lambda: "127.0.0.1",
        str,
        "Address the web server binds to.",
    ),
    Setting("port", "TRACKRECORD_PORT", lambda: 8765, int, "Port the web server listens on."),
    Setting(
        "workers",
        "TRACKRECORD_WORKERS",
        lambda: 1,
        int,
        "Server processes (uvicorn workers) serving one port and one database.",
    ),
    Setting(
        "secret_key",
        "TRACKRECORD_SECRET_KEY",
        lambda: None,
        str,
        "Secret for session cookies and CSRF tokens. Default: generated once under HOME.",
    ),
    Setting(
        "invite_code",
        "TRACKRECORD_INVITE_CODE",
        lambda: None,
        str,
        "When set, hosted sign-up requires this invite code.",
    ),
    Setting(
        "public_url",
        "TRACKRECORD_PUBLIC_URL",
        lambda: None,
        str,
        "The hosted server's public base URL (https://host[:port][/path]): its did:web, "
        "credential issuer and status list URLs. Default: http://HOST:PORT of the bind address.",
    ),
    Setting(
        "server",
        "TRACKRECORD_SERVER",
        lambda: None,
        str,
        "Default server URL for CLI and notebook commands that talk to a hosted server.",
    ),
    Setting(
        "rate_limit_url",
        "TRACKRECORD_RATE_LIMIT_URL",
        lambda: None,
        str,
        "Redis URL for rate limits shared by every server process. Default: in memory.",
    ),
    # The hosted server on the internet (issue 11, findings 5-9 and "closed by default").
    Setting(
        "open_signup",
        "TRACKRECORD_OPEN_SIGNUP",
        lambda: False,
        _parse_bool,
        "Hosted sign-up without an invite code (serve --open-signup). Default: invite only.",
    ),
    Setting(
        "trusted_proxies",
        "TRACKRECORD_TRUSTED_PROXIES",
        lambda: None,
        _parse_proxies,
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed. Default: none (the peer address is the client).",
    ),
    Setting(
        "login_rate",
        "TRACKRECORD_LOGIN_RATE",
        lambda: "10/60",
        _parse_rate,
        "Sign-in attempts per (address, username): COUNT/SECONDS.",
    ),
    Setting(
        "login_address_rate",
        "TRACKRECORD_LOGIN_ADDRESS_RATE",
        lambda: "60/60",
        _parse_rate,
        "Sign-in attempts per address, whatever the username: COUNT/SECONDS.",
    ),
    Setting(
        "max_field_chars",
        "TRACKRECORD_MAX_FIELD_CHARS",
        lambda: 1000,
        int,
        "Longest text accepted in a form field of a page (files aside), in characters.",
    ),
    Setting(
        "max_invite_uses",
        "TRACKRECORD_MAX_INVITE_USES",
        lambda: 1000,
        int,
        "Most sign-ups one invite code may allow.",
    ),
    # The class first (issue 11, "A class that runs itself").
    Setting(
        "hide_builtin_catalog",
        "TRACKRECORD_HIDE_BUILTIN_CATALOG",
        lambda: False,
        _parse_bool,
        "Hosted mode: learners see only the server's own challenges; built-in projects are "
        "not listed and cannot be started or submitted to (hosts and admins still see them).",
    ),
    Setting(
        "projects_dir",
        "TRACKRECORD_PROJECTS_DIR",
        lambda: None,
        lambda v: Path(v).expanduser() if v.strip() else None,
        "A folder of project folders (project.toml, brief.md, prepare.py, baseline.py, "
        "reference.py) added to the catalog beside the built-in ones (docs/catalog.md).",
    ),
    # Code submissions and their workers (issue 13, trackrecord.jobs).
    Setting(
        "job_executor",
        "TRACKRECORD_JOB_EXECUTOR",
        lambda: "local",
        _parse_executor,
        "Where code submissions run: `local` (a process pool in `serve` and the CLI) or "
        "`celery` (`trackrecord worker` processes fed through broker_url).",
    ),
    Setting(
        "broker_url",
        "TRACKRECORD_BROKER_URL",
        lambda: None,
        str,
        "Celery broker URL (e.g. redis://127.0.0.1:6379/0) when job_executor is celery.",
    ),
    Setting(
        "job_queue",
        "TRACKRECORD_JOB_QUEUE",
        lambda: "trackrecord-jobs",
        str,
        "Name of the broker's queue that carries job ids to `trackrecord worker` processes.",
    ),
    Setting(
        "job_workers",
        "TRACKRECORD_JOB_WORKERS",
        lambda: 1,
        int,
        "Code submissions the local executor runs at once (its process pool's size).",
    ),
    Setting(
        "job_cpu_seconds",
        "TRACKRECORD_JOB_CPU_SECONDS",
        lambda: 300,
        int,
        "CPU time a code submission may use, in seconds, before it is stopped.",
    ),
    Setting(
        "job_wall_seconds",
        "TRACKRECORD_JOB_WALL_SECONDS",
        lambda: 600,
        int,
        "Wall-clock time a code submission may run, in seconds, before it is stopped.",
    ),
    Setting(
        "job_memory_mb",
        "TRACKRECORD_JOB_MEMORY_MB",
        lambda: 2048,
        int,
        "Memory a code submission may use, in MiB.",
    ),
    Setting(
        "job_processes",
        "TRACKRECORD_JOB_PROCESSES",
        lambda: 64,
        int,
        "Processes and threads a code submission may run at once.",
    ),
    Setting(
        "job_output_mb",
        "TRACKRECORD_JOB_OUTPUT_MB",
        lambda: 100,
        int,
        "Largest output folder (submission.csv included) a code submission may write, in MiB.",
    ),
    Setting(
        "job_tmp_mb",
        "TRACKRECORD_JOB_TMP_MB",
        lambda: 512,
        int,
        "Size of a code submission's private temporary folder, in MiB.",
    ),
    Setting(
        "job_lease_seconds",
        "TRACKRECORD_JOB_LEASE_SECONDS",
        lambda: 60,
        int,
        "A running job's lease: its worker renews it while the job runs; a job whose lease "
        "expired is started once more, then failed as lost.",
    ),
    Setting(
        "jobs_per_user",
        "TRACKRECORD_JOBS_PER_USER",
        lambda: 2,
        int,
        "Code submissions one learner may have queued or running at once.",
    ),
    Setting(
        "max_code_kb",
        "TRACKRECORD_MAX_CODE_KB",
        lambda: 1024,
        int,
        "Largest code submission (a script or a notebook) accepted, in KiB.",
    ),
)


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str | None = None
    db_pool_size: int = 20
    max_upload_mb: int = 200
    max_extra_rows: int = DEFAULT_MAX_EXTRA_ROWS
    max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES
    max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES
    max_extra_columns: int = DEFAULT_MAX_EXTRA_COLUMNS
    max_bundle_unpacked_mb: int = DEFAULT_MAX_BUNDLE_UNPACKED_MB
    max_bundle_members: int = DEFAULT_MAX_BUNDLE_MEMBERS
    invalid_per_day: int = DEFAULT_INVALID_PER_DAY
    invalid_retention_days: int = DEFAULT_INVALID_RETENTION_DAYS
    gc_grace_minutes: int = DEFAULT_GC_GRACE_MINUTES
    hosted: bool = False
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 1
    secret_key: str | None = None
    invite_code: str | None = None
    public_url: str | None = None
    server: str | None = None
    rate_limit_url: str | None = None
    open_signup: bool = False
    trusted_proxies: str | None = None
    login_rate: str = "10/60"
    login_address_rate: str = "60/60"
    max_field_chars: int = 1000
    max_invite_uses: int = 1000
    hide_builtin_catalog: bool = False
    projects_dir: Path | None = None
    job_executor: str = "local"
    broker_url: str | None = None
    job_queue: str = "trackrecord-jobs"
    job_workers: int = 1
    job_cpu_seconds: int = 300
    job_wall_seconds: int = 600
    job_memory_mb: int = 2048
    job_processes: int = 64
    job_output_mb: int = 100
    job_tmp_mb: int = 512
    job_lease_seconds: int = 60
    jobs_per_user: int = 2
    max_code_kb: int = 1024
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def max_code_bytes(self) -> int:
        return self.max_code_kb * 1024

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'trackrecord.db'}"

    @property
    def blobs_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def catalog_dir(self) -> Path:
        return self.home / "catalog"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


# Counts that must be positive, with the unit an error message names.
_POSITIVE = {
    "workers": "processes",
    "db_pool_size": "connections",
    "max_upload_mb": "MiB",
    "max_cell_bytes": "bytes",
    "max_header_bytes": "bytes",
    "max_bundle_unpacked_mb": "MiB",
    "max_bundle_members": "files",
    "invalid_per_day": "files",
    "gc_grace_minutes": "minutes",
    "max_field_chars": "characters",
    "max_invite_uses": "sign-ups",
    "job_workers": "processes",
    "job_cpu_seconds": "seconds",
    "job_wall_seconds": "seconds",
    "job_memory_mb": "MiB",
    "job_processes": "processes",
    "job_output_mb": "MiB",
    "job_tmp_mb": "MiB",
    "job_lease_seconds": "seconds",
    "jobs_per_user": "jobs",
    "max_code_kb": "KiB",
}
# Counts that may be zero (no slack at all) but not negative.
_NOT_NEGATIVE = {
    "max_extra_rows": "lines",
    "max_extra_columns": "columns",
    "invalid_retention_days": "days",
}


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Resolve every setting: overrides (not None) win, then the environment, then defaults."""
    env = os.environ if environ is None else environ
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    known = {f.name for f in fields(Settings)}
    unknown = set(given) - known
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for s in SETTINGS:
        if s.name in given:
            values[s.name] = given[s.name]
        elif env.get(s.env) not in (None, ""):
            try:
                values[s.name] = s.parse(env[s.env])
            except ValueError as exc:
                raise ConfigError(f"{s.env}={env[s.env]!r} is not valid: {exc}") from exc
        else:
            values[s.name] = s.default()
    for name, unit in _POSITIVE.items():
        if values[name] <= 0:
            raise ConfigError(f"{name} must be a positive number of {unit}")
    for name, unit in _NOT_NEGATIVE.items():
        if values[name] < 0:
            raise ConfigError(f"{name} must be zero or a positive number of {unit}")
    if values["job_executor"] == "celery" and not values["broker_url"]:
        raise ConfigError(
            "job_executor is celery but no broker is set: set TRACKRECORD_BROKER_URL "
            "(e.g. redis://127.0.0.1:6379/0)"
        )
    return Settings(**values)


def to_environment(settings: Settings) -> dict[str, str]:
    """The environment variables that make `load_settings()` give back `settings` (unset
    values are left out): how `serve --workers` hands its settings to worker processes."""
    out: dict[str, str] = {}
    for s in SETTINGS:
        value = getattr(settings, s.name)
        if value is None:
            continue
        out[s.env] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return out
