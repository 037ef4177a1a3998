"""Load and faults against a real server process (`python -m trackrecord serve --hosted`).

- 50 concurrent submitters x 20 submissions each: every accepted submission is recorded
  exactly once, and the daily quota is exact under concurrency (the rest get 429).
- The server killed with SIGKILL mid-upload, and again once the uploaded file is stored
  (while it is scored or recorded), then restarted on the same database and data
  directory: nothing half-written appears as scored, nothing earlier is lost, every blob
  still matches its sha256, and the server serves again.
- Two worker processes killed with SIGKILL (parent and workers at once) during streams of
  valid and invalid submissions from several learners: every answered submission is
  recorded whole, the quota and the invalid-file allowance stay exact after the restart
  (on PostgreSQL: the dead connections' row locks are gone), and `admin gc` frees what
  the crash left without touching a recorded file.

All run on SQLite and PostgreSQL (the `db_url` fixture; with TRACKRECORD_REQUIRE_SERVICES=1
a PostgreSQL case cannot skip). Each server is a subprocess on a free 127.0.0.1 port,
stopped by its fixture even when a test fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from trackrecord.service import Service
from trackrecord.service.gc import HALF_WRITTEN, UNREFERENCED, collect
from trackrecord.settings import Settings
from trackrecord.store.accounts import issue_token
from trackrecord.store.blobs import SHA256_RE, sha256_file
from trackrecord.store.db import make_engine
from trackrecord.store.models import Submission, User

from .conftest import SECRET_BASE, Spec, write_toy_bundle
from .test_web_support import free_port

SUBMITTERS = 50
EACH = 20
PER_DAY = 12
SECRET = "load-faults-" + "k" * 32
BIG_ROWS = 300_000  # about 7 MB: an upload that takes a while to stream

pytestmark = pytest.mark.slow  # real server processes: tens of seconds (make test-fast skips)


# A real server process -------------------------------------------------------------------


@dataclass
class ServerProcess:
    """`trackrecord serve --hosted` in a subprocess; `stop()` always reaps it."""

    home: Path
    db_url: str
    options: tuple[str, ...] = ()  # more `serve` options, e.g. ("--workers", "2")
    env: dict[str, str] = field(default_factory=dict)  # more settings, as TRACKRECORD_*
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ServerProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKRECORD_")}
        env.update(
            TRACKRECORD_HOME=str(self.home),
            TRACKRECORD_DATABASE_URL=self.db_url,
            TRACKRECORD_SECRET_KEY=SECRET,
        )
        env.update(self.env)
        command = [sys.executable, "-m", "trackrecord", "serve", "--hosted"]
        with (self.home / "server.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [*command, "--host", "127.0.0.1", "--port", str(self.port), *self.options],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self._ready, timeout, f"the server on {self.url} did not start")
        return self

    def _ready(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            log = (self.home / "server.log").read_text(errors="replace")[-2000:]
            raise AssertionError(f"the server exited with {self.proc.returncode}:\n{log}")
        try:
            return httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def workers(self) -> list[int]:
        """Process ids of the uvicorn workers this server started (its children that serve;
        Linux /proc)."""
        assert self.proc is not None
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid and b"spawn_main" in cmdline:
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """SIGKILL to the server and its workers at once: no shutdown handlers, no
        flushing, as when the machine loses power."""
        assert self.proc is not None
        children = self.workers()
        self.proc.send_signal(signal.SIGKILL)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        wait_until(
            lambda: not any(alive(pid) for pid in children), 30, f"{children} outlived SIGKILL"
        )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def bytes_written(self) -> int:
        """Bytes the process has written to files so far (/proc/PID/io `wchar`). An upload
        larger than 1 MiB is spooled to a temporary file as it arrives, so this grows with
        the part of the upload the server has received."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
        raise AssertionError("no wchar in /proc/PID/io")


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], timeout: float, message: str) -> None:
    """Poll `condition` until it holds; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.01)


@pytest.fixture
def servers(tmp_path: Path, db_url: str) -> Iterator[Callable[..., ServerProcess]]:
    """Start servers on one data directory and database; every one is stopped at the end."""
    started: list[ServerProcess] = []
    home = tmp_path / "server-home"
    home.mkdir()

    def start(*options: str, **env: str) -> ServerProcess:
        server = ServerProcess(home, db_url, options, env)
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()


# Seeding ---------------------------------------------------------------------------------


@dataclass
class Seeded:
    slug: str
    tokens: dict[int, str]  # user id -> API token
    engine: Engine
    bundle_rows: int


def seed(
    tmp_path: Path, db_url: str, learners: int, *, rows: int = 20, per_day: int = PER_DAY
) -> Seeded:
    """A hosted challenge (toy-reg with `rows` test rows) and learners with API tokens,
    written straight into the database the server will use."""
    home = tmp_path / "server-home"
    home.mkdir(exist_ok=True)
    bundle = write_toy_bundle(tmp_path / "bundles", Spec(per_day=per_day), rows=rows)
    settings = Settings(home=home, database_url=db_url, hosted=True, secret_key=SECRET)
    with Service(settings) as svc:
        svc.add_challenge(bundle.root, per_day=per_day)
        with svc.session(write_lock=True) as s:
            users = [User(username=f"learner{i:03d}", role="learner") for i in range(learners)]
            s.add_all(users)
            s.flush()
            tokens = {u.id: issue_token(s, u.id, "load")[0] for u in users}
    return Seeded(bundle.challenge.id, tokens, make_engine(db_url), rows)


def submission(rows: int, offset: float) -> bytes:
    """A valid toy-reg submission; a distinct `offset` makes distinct bytes."""
    lines = ["id,y", *(f"{1000 + i},{SECRET_BASE + i + offset:.9f}" for i in range(rows))]
    return ("\n".join(lines) + "\n").encode()


def rows_of(engine: Engine) -> list[Submission]:
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        return list(s.scalars(select(Submission).order_by(Submission.id)))


# 50 concurrent submitters ----------------------------------------------------------------


@dataclass
class Outcome:
    user_id: int
    accepted: list[dict[str, object]] = field(default_factory=list)
    refused: list[tuple[int, dict[str, object]]] = field(default_factory=list)


def submit_many(url: str, slug: str, user_id: int, token: str, start: threading.Barrier) -> Outcome:
    out = Outcome(user_id)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        start.wait()
        for k in range(EACH):
            body = submission(20, offset=user_id * 0.001 + k * 0.000001)
            files = {"file": (f"u{user_id}-{k}.csv", body, "text/csv")}
            response = client.post(f"/api/v1/challenges/{slug}/submissions", files=files)
            if response.status_code == 201:
                out.accepted.append(response.json())
            else:
                out.refused.append((response.status_code, response.json()))
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_concurrent_submitters_are_recorded_once_and_quotas_are_exact(
    tmp_path: Path, db_url: str, servers: Callable[..., ServerProcess], workers: int
) -> None:
    """With two worker processes the quota transaction is what keeps counts exact."""
    seeded = seed(tmp_path, db_url, SUBMITTERS)
    server = servers("--workers", str(workers))
    assert len(server.workers()) == (workers if workers > 1 else 0)  # one process: no children
    start = threading.Barrier(SUBMITTERS, timeout=60)
    with ThreadPoolExecutor(max_workers=SUBMITTERS) as pool:
        futures = [
            pool.submit(submit_many, server.url, seeded.slug, uid, token, start)
            for uid, token in seeded.tokens.items()
        ]
        outcomes = [f.result(timeout=120) for f in futures]

    recorded = rows_of(seeded.engine)
    assert len({r.id for r in recorded}) == len(recorded) == SUBMITTERS * PER_DAY
    assert {r.status for r in recorded} == {"scored"}
    for out in outcomes:
        assert len(out.accepted) == PER_DAY, (out.user_id, out.refused[:1])
        assert len(out.refused) == EACH - PER_DAY
        mine = {r.id: r for r in recorded if r.user_id == out.user_id}
        answered = {a["submission"]["id"]: a["submission"] for a in out.accepted}  # type: ignore[index]
        assert set(answered) == set(mine)
        for sid, sub in answered.items():
            assert sub["sha256"] == mine[sid].file_sha256
        assert [a["left_today"] for a in out.accepted] == list(range(PER_DAY - 1, -1, -1))
        for status, body in out.refused:
            assert status == 429
            assert set(body) == {"error"}
            error = body["error"]
            assert isinstance(error, dict) and set(error) == {"code", "message", "problems"}
            assert error["code"] == "quota_exceeded" and error["problems"] == []
    seeded.engine.dispose()


# SIGKILL mid-upload and after the file is stored -----------------------------------------


def check_intact(engine: Engine, home: Path, before: list[Submission]) -> list[Submission]:
    """Every earlier row unchanged, no row that is not whole, every blob matching its name."""
    after = rows_of(engine)
    old = {r.id: r for r in after if r.id in {b.id for b in before}}
    for b in before:
        r = old[b.id]
        assert (r.status, r.file_sha256, r.public_score, r.private_score) == (
            b.status, b.file_sha256, b.public_score, b.private_score,
        )  # fmt: skip
    for r in after:
        assert r.status == "scored" and r.public_score is not None and r.rows is not None
    blobs = home / "blobs"
    for path in blobs.glob("??/*"):
        assert SHA256_RE.match(path.name) and sha256_file(path) == path.name
    for r in after:
        assert (blobs / r.file_sha256[:2] / r.file_sha256).is_file()
    return after


def multipart(body: bytes, filename: str) -> tuple[bytes, bytes, str]:
    """A multipart/form-data request in two pieces (head, file + tail) and its content type."""
    boundary = "trackrecord-load-faults-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head, body + tail, f"multipart/form-data; boundary={boundary}"


def slow_upload(server: ServerProcess, slug: str, token: str, body: bytes) -> None:
    """Stream half of an upload, kill the server once it has read that half, then stop."""
    head, rest, ctype = multipart(body, "big.csv")
    half = len(rest) // 2
    release = threading.Event()
    baseline = server.bytes_written()

    def chunks() -> Iterator[bytes]:
        yield head
        yield rest[:half]
        release.wait(timeout=60)  # the rest never comes: the server dies first
        yield rest[half:]

    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": ctype,
        "Content-Length": str(len(head) + len(rest)),
    }

    def send() -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(
                f"{server.url}/api/v1/challenges/{slug}/submissions",
                content=chunks(),
                headers=headers,
                timeout=60,
            )

    client = threading.Thread(target=send)
    client.start()
    try:
        wait_until(
            lambda: server.bytes_written() - baseline >= half,
            30,
            "the server never received the first half of the upload",
        )
        server.kill()
    finally:
        release.set()
        client.join(timeout=60)


def kill_once_stored(server: ServerProcess, home: Path, slug: str, token: str, body: bytes) -> None:
    """Upload a whole file and SIGKILL the server as soon as its blob is stored, that is
    while it is scored or recorded (or just after: the check accepts only whole rows)."""
    digest = hashlib.sha256(body).hexdigest()
    blob = home / "blobs" / digest[:2] / digest
    files = {"file": ("big.csv", body, "text/csv")}
    headers = {"Authorization": f"Bearer {token}"}

    def send() -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(
                f"{server.url}/api/v1/challenges/{slug}/submissions",
                files=files,
                headers=headers,
                timeout=60,
            )

    client = threading.Thread(target=send)
    client.start()
    try:
        wait_until(blob.exists, 60, "the uploaded file was never stored")
        server.kill()
    finally:
        client.join(timeout=60)


def record_some(url: str, slug: str, tokens: list[str], rows: int) -> None:
    for n, token in enumerate(tokens):
        for k in range(2):
            files = {"file": ("early.csv", submission(rows, 0.01 * n + 0.001 * k), "text/csv")}
            response = httpx.post(
                f"{url}/api/v1/challenges/{slug}/submissions",
                files=files,
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
            assert response.status_code == 201, response.text


@pytest.mark.skipif(
    not Path("/proc/self/io").exists(), reason="watches the server through /proc/PID/io (Linux)"
)
def test_sigkill_mid_upload_and_after_storing_loses_nothing(
    tmp_path: Path, db_url: str, servers: Callable[..., ServerProcess]
) -> None:
    seeded = seed(tmp_path, db_url, 3, rows=BIG_ROWS, per_day=50)
    home = tmp_path / "server-home"
    tokens = list(seeded.tokens.values())
    server = servers()
    record_some(server.url, seeded.slug, tokens, BIG_ROWS)
    before = check_intact(seeded.engine, home, [])
    assert len(before) == 6

    slow_upload(server, seeded.slug, tokens[0], submission(BIG_ROWS, 0.5))
    server = servers()
    after = check_intact(seeded.engine, home, before)
    assert len(after) == len(before)  # the half upload left no row

    kill_once_stored(server, home, seeded.slug, tokens[1], submission(BIG_ROWS, 0.25))
    server = servers()
    after = check_intact(seeded.engine, home, before)
    assert len(after) in (len(before), len(before) + 1)  # whole if recorded at all

    record_some(server.url, seeded.slug, tokens[2:], BIG_ROWS)  # it serves again
    assert len(check_intact(seeded.engine, home, before)) == len(after) + 2
    seeded.engine.dispose()


# SIGKILL during streams of submissions -----------------------------------------------------

STREAMERS = 6
STREAM_PER_DAY = 8
STREAM_INVALID = 10  # the invalid-file allowance the server is started with
STREAM_ROWS = 2000


def invalid_submission(rows: int, tag: str) -> bytes:
    """A toy-reg file that cannot be scored (a word where a number goes); `tag` makes
    distinct bytes."""
    return submission(rows, 0.0).replace(b"\n1001,", f"\n1001,{tag}-".encode(), 1)


@dataclass
class Stream:
    """What one learner's client was answered while it streamed submissions."""

    token: str
    answers: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    failed: int = 0  # requests that got no answer (the server died under them)


def stream(url: str, slug: str, learner: int, out: Stream, stop: threading.Event) -> None:
    """Valid and invalid files in turn until `stop` or the server goes away."""
    headers = {"Authorization": f"Bearer {out.token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for k in range(1000):
            if stop.is_set():
                return
            body = (
                submission(STREAM_ROWS, learner * 0.01 + k * 0.0001)
                if k % 2 == 0
                else invalid_submission(STREAM_ROWS, f"u{learner}k{k}")
            )
            files = {"file": (f"s{k}.csv", body, "text/csv")}
            try:
                response = client.post(f"/api/v1/challenges/{slug}/submissions", files=files)
            except httpx.HTTPError:
                out.failed += 1
                return
            out.answers.append((response.status_code, response.json()))


def send_until_refused(url: str, slug: str, token: str, bodies: Iterator[bytes]) -> int:
    """Send files until one is refused with 429; returns how many were answered otherwise."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        for n, body in enumerate(bodies):
            files = {"file": ("more.csv", body, "text/csv")}
            response = client.post(f"/api/v1/challenges/{slug}/submissions", files=files)
            if response.status_code == 429:
                return n
            assert response.status_code in (201, 422), response.text
    raise AssertionError("never refused")


def check_whole(engine: Engine, home: Path) -> list[Submission]:
    """Every row whole (scored with its scores, or invalid with its reasons), every blob
    present and matching its name."""
    rows = rows_of(engine)
    blobs = home / "blobs"
    for r in rows:
        if r.status == "scored":
            assert r.public_score is not None and r.private_score is not None and r.rows
        else:
            assert r.status == "invalid" and r.public_score is None
            assert r.error and r.error["error"]["message"], r.error
        assert (blobs / r.file_sha256[:2] / r.file_sha256).is_file()
    for path in blobs.glob("??/*"):
        assert SHA256_RE.match(path.name) and sha256_file(path) == path.name
    return rows


def test_sigkill_during_streams_of_submissions_keeps_records_and_quotas_exact(
    tmp_path: Path, db_url: str, servers: Callable[..., ServerProcess]
) -> None:
    seeded = seed(tmp_path, db_url, STREAMERS, rows=STREAM_ROWS, per_day=STREAM_PER_DAY)
    home = tmp_path / "server-home"
    settings_env = {"TRACKRECORD_INVALID_PER_DAY": str(STREAM_INVALID)}
    server = servers("--workers", "2", **settings_env)
    streams = {uid: Stream(token) for uid, token in seeded.tokens.items()}
    stop = threading.Event()
    threads = [
        threading.Thread(target=stream, args=(server.url, seeded.slug, uid, s, stop))
        for uid, s in streams.items()
    ]
    for thread in threads:
        thread.start()
    try:
        wait_until(
            lambda: sum(len(s.answers) for s in streams.values()) >= 3 * STREAMERS,
            120,
            "the streams were never answered",
        )
        server.kill()  # while every learner has a request in flight
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert sum(s.failed for s in streams.values()) >= 1  # some requests died with it

    rows = check_whole(seeded.engine, home)
    by_id = {r.id: r for r in rows}
    for uid, s in streams.items():
        for status, body in s.answers:
            if status == 201:  # answered as scored: recorded, whole, as answered
                sub = body["submission"]
                assert isinstance(sub, dict)
                recorded = by_id[int(sub["id"])]
                assert (recorded.user_id, recorded.status) == (uid, "scored")
                assert recorded.file_sha256 == sub["sha256"]
            else:
                assert status in (422, 429), (status, body)
        answered_invalid = sum(1 for status, _ in s.answers if status == 422)
        mine = [r for r in rows if r.user_id == uid]
        assert sum(r.status == "invalid" for r in mine) >= answered_invalid

    server = servers("--workers", "2", **settings_env)  # restarted on the same store
    before = {uid: counts(rows_of(seeded.engine), uid) for uid in seeded.tokens}
    for uid, token in seeded.tokens.items():
        # Either limit, once reached, refuses every upload: half the learners fill their
        # quota with valid files, the other half their allowance with invalid ones.
        scored, invalid = before[uid]
        if uid % 2:
            bodies = (submission(STREAM_ROWS, 5 + uid + k * 0.001) for k in range(100))
            room = STREAM_PER_DAY - scored if invalid < STREAM_INVALID else 0
        else:
            bodies = (invalid_submission(STREAM_ROWS, f"after-{uid}-{k}") for k in range(100))
            room = STREAM_INVALID - invalid if scored < STREAM_PER_DAY else 0
        assert send_until_refused(server.url, seeded.slug, token, bodies) == room, uid
    rows = check_whole(seeded.engine, home)
    for uid in seeded.tokens:
        scored, invalid = counts(rows, uid)
        assert scored <= STREAM_PER_DAY and invalid <= STREAM_INVALID
        assert scored == STREAM_PER_DAY or invalid == STREAM_INVALID  # one limit reached
    collected = collect_after_crash(home, db_url)
    assert collected <= {UNREFERENCED, HALF_WRITTEN}
    after_gc = check_whole(seeded.engine, home)  # every recorded file is still there
    assert [(r.id, r.file_sha256) for r in after_gc] == [(r.id, r.file_sha256) for r in rows]
    seeded.engine.dispose()


def counts(rows: list[Submission], user_id: int) -> tuple[int, int]:
    """The user's scored and invalid submissions."""
    mine = [r.status for r in rows if r.user_id == user_id]
    return mine.count("scored"), mine.count("invalid")


def collect_after_crash(home: Path, db_url: str) -> set[str]:
    """`admin gc` once the files the crash left are past the grace: what kinds it freed."""
    old = time.time() - 7200
    for path in (home / "blobs").rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    settings = Settings(home=home, database_url=db_url, gc_grace_minutes=60)
    with Service(settings) as svc:
        report = collect(svc)
        assert collect(svc).removed == ()
    return {f.kind for f in report.removed}
