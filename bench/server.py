"""Benchmark: the hosted server under many concurrent clients over loopback.

A real server process (`python -m trackrecord serve --hosted`, uvicorn, one worker) on a free
127.0.0.1 port, over SQLite or PostgreSQL, with a hosted challenge whose test set has 10,000
rows and LEARNERS learners who already recorded SUBS_EACH scored submissions each (dated
yesterday, so today's quotas are untouched). Every request carries a learner's API token.
Each measurement runs next to a baseline of the same stack, in the same run:

  - leaderboard: `GET /projects/{id}/leaderboard` (the HTML page, bearer auth) against the
    bare endpoint `GET /api/v1/health` of the same server (routing, middleware, JSON; no auth,
    no database). Target: >= 50% of the bare endpoint's requests/s.
  - submission: `POST /api/v1/challenges/{id}/submissions` of a 10,000-row CSV against the
    same route on a second server process whose scorer is a stub returning a constant
    result (upload parsing, auth, blob store, quota transaction, response: everything but
    scoring). Target: p99 < 300 ms on PostgreSQL.

Load: CLIENTS concurrent asyncio clients (httpx, keep-alive; SUBMIT_CLIENTS for uploads),
each phase bounded by a request count and a time limit. Baseline and measured phases
alternate (`--rounds`) so that other load on the machine hits both alike. Each phase also
reports the server process's CPU time per request (from /proc): the load generator is a
Python process too and can be the limit for the cheapest endpoint, while CPU per request
says what an endpoint costs the server whatever the client can send.

    python bench/server.py --db sqlite|postgres [--clients 16] [--submit-clients 8]
                           [--requests 2000] [--seconds 15] [--rounds 2] [--workers 1]
    python bench/server.py --serve-stub   # internal: the stub-scorer server (env configured)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np
import pandas as pd
from machine import describe

ROWS = 10_000
SLUG = "bench-reg"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_ENV = "TRACKRECORD_BENCH_POSTGRES_URL"
SECRET = "bench-secret-" + "x" * 32

Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


# The challenge and its data ------------------------------------------------------------


def write_challenge(dest: Path, rows: int = ROWS) -> Path:
    """A regression bundle (rmse) with `rows` test rows, half public, half private."""
    from trackrecord.bundle import Challenge, FieldEntry, Limits, Thresholds, write_bundle

    ids = np.arange(1, rows + 1)
    truth = np.round(np.linspace(0.0, 100.0, rows), 6)
    challenge = Challenge(
        id=SLUG,
        title="Benchmark regression",
        task="regression",
        metric="rmse",
        id_column="id",
        target_columns=("y",),
        solution_columns=("y",),
        thresholds=Thresholds(3.0, 2.0, 1.0),
        limits=Limits(per_day=1000, final_picks=2),
        field=(FieldEntry("mean", 28.0, 28.1), FieldEntry("linear", 2.5, 2.6)),
    )
    usage = np.where(ids % 2 == 0, "Public", "Private")
    write_bundle(
        dest / SLUG,
        challenge,
        description="# Benchmark\n\nPredict y.\n",
        train=pd.DataFrame({"id": ids, "x": ids * 0.5, "y": truth}),
        test=pd.DataFrame({"id": ids, "x": ids * 0.5}),
        solution=pd.DataFrame({"id": ids, "y": truth, "Usage": usage}),
        sample_submission=pd.DataFrame({"id": ids, "y": np.zeros(rows)}),
    )
    return dest / SLUG


def submission_csv(rows: int = ROWS, seed: int = 0) -> bytes:
    """A valid 10,000-row submission (about 200 KB): the truth plus noise."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, rows + 1)
    y = np.linspace(0.0, 100.0, rows) + rng.normal(0, 1.0, rows)
    return pd.DataFrame({"id": ids, "y": y}).to_csv(index=False).encode()


# Database and seeding ------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str, home: Path) -> Iterator[str]:
    """A database URL: SQLite under `home`, or a fresh PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{home / 'trackrecord.db'}"
        return
    from sqlalchemy import create_engine

    base = os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        sep = "&" if "?" in base else "?"
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def seed(home: Path, url: str, learners: int, subs_each: int) -> list[str]:
    """Create the hosted challenge, the learners, their tokens and their past submissions;
    returns one API token per learner."""
    from sqlalchemy import text

    from trackrecord.service import Service
    from trackrecord.settings import Settings
    from trackrecord.store.accounts import issue_token
    from trackrecord.store.models import Submission, User, utcnow

    bundle = write_challenge(home / "src")
    settings = Settings(home=home, database_url=url, hosted=True, secret_key=SECRET)
    rng = np.random.default_rng(1)
    yesterday = utcnow() - timedelta(days=1)
    with Service(settings) as svc:
        svc.add_challenge(bundle, per_day=1000)
        with svc.session(write_lock=True) as s:
            challenge_id = svc.challenge_row(s, SLUG).id
            users = [User(username=f"learner{i:05d}", role="learner") for i in range(learners)]
            s.add_all(users)
            s.flush()
            tokens = [issue_token(s, u.id, "bench")[0] for u in users]
            s.add_all(
                Submission(
                    user_id=u.id,
                    challenge_id=challenge_id,
                    file_sha256="0" * 64,
                    original_filename="old.csv",
                    size_bytes=1,
                    status="scored",
                    public_score=float(rng.uniform(0.5, 30)),
                    private_score=float(rng.uniform(0.5, 30)),
                    rows=ROWS,
                    created_at=yesterday - timedelta(minutes=int(rng.integers(0, 600))),
                )
                for u in users
                for _ in range(subs_each)
            )
        if svc.engine.dialect.name == "postgresql":
            with svc.engine.connect() as conn:  # what autovacuum does soon after a bulk load
                conn.execute(text("ANALYZE"))
                conn.commit()
    return tokens


# Server processes ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A server subprocess on 127.0.0.1; always stopped by `stop()` (SIGTERM, then SIGKILL)."""

    command: list[str]
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*self.command, "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)  # poll interval while waiting for the port to answer
        raise RuntimeError(f"server did not answer within {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[Server]:
    server = Server(command, env, log)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def server_env(home: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKRECORD_")}
    env.update(
        TRACKRECORD_HOME=str(home),
        TRACKRECORD_DATABASE_URL=url,
        TRACKRECORD_SECRET_KEY=SECRET,
        TRACKRECORD_HOSTED="1",
    )
    return env


def serve_stub(port: int) -> None:
    """The same app and route, with a scorer that returns a constant result (no scoring)."""
    import uvicorn

    from trackrecord.scoring import ScoreResult
    from trackrecord.settings import load_settings
    from trackrecord.web import create_app

    def stub(bundle: object, path: Path) -> ScoreResult:
        half = ROWS // 2
        return ScoreResult("rmse", 1.0, 1.0, ROWS, False, half, ROWS - half)

    app = create_app(load_settings(), scorer=stub)  # type: ignore[arg-type]
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", server_header=False)


# Load ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    latencies: list[float]
    seconds: float
    errors: dict[int, int]
    samples: dict[int, str] = field(default_factory=dict)  # one error body per status
    server_cpu: float = 0.0  # CPU seconds the server process spent during the phase

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: what the endpoint costs, whatever the client can send."""
        return self.server_cpu / len(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        return float(np.percentile(self.latencies, q) * 1000) if self.latencies else float("nan")


async def _worker(
    client: httpx.AsyncClient, request: Request, counter: Iterator[int], stop_at: float,
    ok: set[int], out: Result,
) -> None:  # fmt: skip
    for i in counter:
        if time.perf_counter() >= stop_at:
            return
        started = time.perf_counter()
        try:
            response = await request(client, i)
            status, text = response.status_code, response.text
        except httpx.TransportError as exc:
            status, text = -1, repr(exc)
        if status in ok:
            out.latencies.append(time.perf_counter() - started)
        else:
            out.errors[status] = out.errors.get(status, 0) + 1
            out.samples.setdefault(status, text[:300])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its descendants (the workers of
    `serve --workers`); Linux /proc, 0 elsewhere."""
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, CPU seconds)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])
        stats[int(stat.parent.name)] = (int(fields[1]), ticks / os.sysconf("SC_CLK_TCK"))
    total, frontier = 0.0, {pid}
    while frontier:
        total += sum(stats[p][1] for p in frontier if p in stats)
        frontier = {child for child, (parent, _) in stats.items() if parent in frontier}
    return total


async def load(
    name: str, server: Server, request: Request, *, clients: int, count: int, seconds: float,
    ok: frozenset[int] = frozenset({200}),
) -> Result:  # fmt: skip
    """`clients` concurrent clients send at most `count` requests for at most `seconds`."""
    url, pid = server.url, server.proc.pid if server.proc else 0
    out = Result(name, [], 0.0, {})
    cpu_before = cpu_seconds(pid)
    counter = iter(range(count))  # shared: each request index is taken once
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(
            *(_worker(client, request, counter, stop_at, set(ok), out) for _ in range(clients))
        )
        out.seconds = time.perf_counter() - started
    out.server_cpu = cpu_seconds(pid) - cpu_before
    return out


def merge(results: list[Result]) -> Result:
    errors: dict[int, int] = {}
    for r in results:
        for k, v in r.errors.items():
            errors[k] = errors.get(k, 0) + v
    latencies = [x for r in results for x in r.latencies]
    samples = {k: v for r in results for k, v in r.samples.items()}
    seconds, cpu = sum(r.seconds for r in results), sum(r.server_cpu for r in results)
    return Result(results[0].name, latencies, seconds, errors, samples, cpu)


# The scenarios -------------------------------------------------------------------------


@dataclass
class Bench:
    args: argparse.Namespace
    tokens: list[str]

    def auth(self, i: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[i % len(self.tokens)]}"}

    async def leaderboard(self, server: Server) -> list[Result]:
        """health (the target's baseline), an authenticated bare endpoint, the page."""

        async def bare(c: httpx.AsyncClient, i: int) -> httpx.Response:
            return await c.get("/api/v1/health")

        async def authed(c: httpx.AsyncClient, i: int) -> httpx.Response:
            return await c.get("/api/v1/tokens", headers=self.auth(i))

        async def board(c: httpx.AsyncClient, i: int) -> httpx.Response:
            return await c.get(f"/projects/{SLUG}/leaderboard", headers=self.auth(i))

        phases = [
            (server, "health (bare)", bare),
            (server, "tokens (bare + auth)", authed),
            (server, "leaderboard page", board),
        ]
        return await self._series(phases, frozenset({200}), self.args.clients)

    async def submissions(self, server: Server, stub: Server) -> list[Result]:
        """The route with a stub scorer (baseline), then the real one."""
        files = [submission_csv(seed=k) for k in range(8)]

        async def post(c: httpx.AsyncClient, i: int) -> httpx.Response:
            body = {"file": ("submission.csv", files[i % len(files)], "text/csv")}
            headers = self.auth(i)
            return await c.post(
                f"/api/v1/challenges/{SLUG}/submissions", files=body, headers=headers
            )

        phases = [(stub, "submit, stub scorer", post), (server, "submit 10k rows", post)]
        return await self._series(phases, frozenset({201}), self.args.submit_clients)

    async def _series(
        self, phases: list[tuple[Server, str, Request]], ok: frozenset[int], clients: int
    ) -> list[Result]:
        a = self.args
        runs: list[list[Result]] = [[] for _ in phases]
        for _ in range(a.rounds):  # alternate, so background load hits every phase alike
            for into, (target, name, request) in enumerate(phases):
                result = await load(
                    name, target, request, clients=clients, count=a.requests,
                    seconds=a.seconds, ok=ok,
                )  # fmt: skip
                runs[into].append(result)
        return [merge(r) for r in runs]


# Reporting -----------------------------------------------------------------------------


def row(r: Result) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(r.errors.items())) or "none"
    return (
        f"| {r.name} | {len(r.latencies)} | {r.rps:.1f} | {r.pct(50):.1f} | {r.pct(95):.1f} "
        f"| {r.pct(99):.1f} | {r.cpu_ms:.2f} | {errors} |"
    )


def report(db: str, args: argparse.Namespace, lb: list[Result], sub: list[Result]) -> None:
    print(
        f"\n### {db}: {args.clients} clients (submissions: {args.submit_clients}), "
        f"{args.learners} learners x {args.subs_each} past submissions, "
        f"{args.workers} server process(es)"
    )
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in (*lb, *sub):
        print(row(r))
    for r in (*lb, *sub):
        for status, text in r.samples.items():
            print(f"  {r.name}: {status}: {text}")
    health, authed, page = lb
    print(f"\nleaderboard / bare throughput: {page.rps / health.rps:.0%} (target >= 50%)")
    print(f"leaderboard / bare + auth throughput: {page.rps / authed.rps:.0%}")
    print(
        f"server CPU per request: leaderboard {page.cpu_ms:.2f} ms, bare {health.cpu_ms:.2f} ms "
        f"({health.cpu_ms / page.cpu_ms:.0%}: the ratio with a client that is never the limit)"
    )
    print(f"submission p99: {sub[1].pct(99):.0f} ms (target < 300 ms on PostgreSQL)")


def run(args: argparse.Namespace) -> None:
    print(describe())
    home = Path(tempfile.mkdtemp(prefix="trackrecord-bench-server-"))
    try:
        with database(args.db, home) as url:
            tokens = seed(home, url, args.learners, args.subs_each)
            env = server_env(home, url)
            serve = [
                sys.executable,
                "-m",
                "trackrecord",
                "serve",
                "--hosted",
                "--host",
                "127.0.0.1",
                "--workers",
                str(args.workers),
            ]
            stub = [sys.executable, str(Path(__file__).resolve()), "--serve-stub"]
            bench = Bench(args, tokens)
            with running(serve, env, home / "server.log") as server:
                lb = asyncio.run(bench.leaderboard(server))
                with running(stub, env, home / "stub.log") as stubbed:
                    sub = asyncio.run(bench.submissions(server, stubbed))
        report(args.db, args, lb, sub)
    finally:
        if args.keep:
            print(f"kept {home} (server logs: server.log, stub.log)")
        else:
            shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--submit-clients", type=int, default=8, help="concurrent clients for submissions"
    )
    parser.add_argument("--requests", type=int, default=2000, help="most requests per phase")
    parser.add_argument("--seconds", type=float, default=15.0, help="longest phase, seconds")
    parser.add_argument("--rounds", type=int, default=2, help="baseline/measured alternations")
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--subs-each", type=int, default=20, help="past submissions each")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and logs")
    parser.add_argument("--serve-stub", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_stub:
        serve_stub(args.port)
    else:
        run(args)


if __name__ == "__main__":
    main()
