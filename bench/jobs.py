"""Benchmark: code-submission jobs per minute with 1 and 2 Celery workers, and what the
sandbox costs against the same script run bare.

One hosted challenge (binary classification, --rows training rows and as many test rows,
ten numeric features, ROC AUC) and one learner's script: pandas reads input/train.csv and
input/test.csv, scikit-learn's LogisticRegression fits, output/submission.csv is written.
Measured in the same run, on the same machine:

  - bare: `python script.py` in a subprocess, in a folder holding input/ (the public files,
    as a job gets them) and output/, with the environment the sandbox gives the code (one
    BLAS thread, no bytecode written); no sandbox, nothing recorded;
  - sandbox: the same script through trackrecord.jobs.sandbox.run_code with the default job
    limits (bubblewrap: namespaces, read-only system, private tmp, rlimits, a uid of its
    own). Both for the training script and for an empty one (start Python, write one line:
    the sandbox's fixed cost); all four alternate, --repeat of each, medians compared;
  - 1 worker, 2 workers: `trackrecord worker --concurrency 1` processes (real Celery over
    Redis, PostgreSQL or SQLite), --jobs code submissions sent at once through the service
    (submit_code with the Celery executor: stored, queued, claimed, run in the sandbox,
    scored through the normal submission path, recorded). Jobs per minute = jobs / time
    from the first submission to the last job's end. Each worker first runs one warm-up job
    (a worker's first job imports pandas, scikit-learn and the scorer in its pool process).

CPU time is the code's (and its children's): wait4 for the bare run, the sandbox's own
report for the sandboxed one (bwrap's set-up is not in it; the wall time is). Prints the
ratios: sandbox / bare (the sandbox's overhead) and 2 workers / 1 worker. On a shared
machine, read them with the load averages printed before and after: under load, more
processes also take a larger share of the CPUs.

    python bench/jobs.py [--db postgres|sqlite] [--jobs 12] [--rows 5000] [--repeat 5]

Redis from TRACKRECORD_BENCH_REDIS_URL (default redis://127.0.0.1:6379/0; a queue of its
own, removed afterwards); PostgreSQL from TRACKRECORD_BENCH_POSTGRES_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test, a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
from machine import describe

SLUG = "bench-jobs"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
FEATURES = 10

SCRIPT = """\
import os

import pandas as pd
from sklearn.linear_model import LogisticRegression

src, out = os.environ["TRACKRECORD_INPUT"], os.environ["TRACKRECORD_OUTPUT"]
train = pd.read_csv(os.path.join(src, "train.csv"))
test = pd.read_csv(os.path.join(src, "test.csv"))
features = [c for c in train.columns if c.startswith("x")]
model = LogisticRegression(max_iter=1000).fit(train[features], train["y"])
proba = model.predict_proba(test[features])[:, list(model.classes_).index("yes")]
submission = pd.DataFrame({"id": test["id"], "y": proba})
submission.to_csv(os.path.join(out, "submission.csv"), index=False)
"""


# The challenge --------------------------------------------------------------------------


def write_challenge(dest: Path, rows: int) -> Any:
    """A binary task (labels no/yes, ROC AUC) with `rows` training and `rows` test rows."""
    from trackrecord.bundle import Challenge, Limits, Thresholds, write_bundle

    rng = np.random.default_rng(0)
    weights = rng.normal(size=FEATURES)

    def table(n: int, first_id: int) -> pd.DataFrame:
        x = rng.normal(size=(n, FEATURES))
        y = np.where(x @ weights + rng.normal(scale=2.0, size=n) > 0, "yes", "no")
        frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(FEATURES)])
        frame.insert(0, "id", np.arange(first_id, first_id + n))
        frame["y"] = y
        return frame

    train, test = table(rows, 0), table(rows, 1_000_000)
    usage = np.where(np.arange(rows) % 3 == 0, "Public", "Private")
    challenge = Challenge(
        id=SLUG,
        title="Benchmark jobs",
        task="binary-classification",
        metric="roc_auc",
        id_column="id",
        target_columns=("y",),
        solution_columns=("y",),
        labels=("no", "yes"),
        thresholds=Thresholds(0.6, 0.7, 0.8),
        limits=Limits(per_day=1000, final_picks=2),
    )
    return write_bundle(
        dest / SLUG,
        challenge,
        description="# Benchmark jobs\n\nPredict y.\n",
        train=train,
        test=test.drop(columns="y"),
        solution=test[["id", "y"]].assign(Usage=usage),
        sample_submission=test[["id"]].assign(y=0.5),
    )


@contextlib.contextmanager
def database(kind: str, home: Path) -> Iterator[str]:
    """A database URL: SQLite under `home`, or a fresh PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{home / 'trackrecord.db'}"
        return
    from sqlalchemy import create_engine

    base = os.environ.get("TRACKRECORD_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
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


def environment(home: Path, url: str, broker: str, queue: str) -> dict[str, str]:
    return {
        "TRACKRECORD_HOME": str(home),
        "TRACKRECORD_DATABASE_URL": url,
        "TRACKRECORD_HOSTED": "1",
        "TRACKRECORD_JOB_EXECUTOR": "celery",
        "TRACKRECORD_BROKER_URL": broker,
        "TRACKRECORD_JOB_QUEUE": queue,
        "TRACKRECORD_JOBS_PER_USER": "1000",
    }


def seed(svc: Any, bundle: Any) -> int:
    """The hosted challenge (accepting code) and its learner; returns the learner's id."""
    from trackrecord.store.models import User

    with svc.session(write_lock=True) as s:
        host = User(username="host", role="host")
        learner = User(username="learner", role="learner")
        s.add_all([host, learner])
        s.flush()
        host_id, learner_id = host.id, learner.id
    svc.add_challenge(bundle.root, created_by=host_id, per_day=1000)
    with svc.session(write_lock=True) as s:
        svc.challenge_row(s, SLUG).accepts_code = True
    return int(learner_id)


# Bare against sandbox ---------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float


def fresh(bundle: Any, work: Path) -> Path:
    """`work` emptied, with input/ holding the public files exactly as a job gets them."""
    from trackrecord.jobs.runner import materialize

    shutil.rmtree(work, ignore_errors=True)
    return materialize(bundle, work / "input")


# What the sandbox sets for the code (jobs/sources.py): one thread per numeric library, no
# bytecode written. The bare runs get the same, so that only the sandbox differs.
CODE_ENV = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0", "PYTHONNOUSERSITE": "1",
}  # fmt: skip
# The smallest job: start Python, write a one-line file. What is left is the sandbox.
EMPTY = """\
import os

with open(os.path.join(os.environ["TRACKRECORD_OUTPUT"], "submission.csv"), "w") as f:
    f.write("id,y\\n")
"""


def run_bare(script: Path, bundle: Any, work: Path) -> Run:
    """The script in a plain subprocess (no sandbox), input/ and output/ as in a job; CPU
    time of the process and its children (wait4)."""
    fresh(bundle, work)
    (work / "output").mkdir()
    env = {**os.environ, **CODE_ENV, "TRACKRECORD_INPUT": str(work / "input")}
    env["TRACKRECORD_OUTPUT"] = str(work / "output")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(script)], cwd=work, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not (work / "output" / "submission.csv").is_file():
        raise SystemExit(f"the bare run failed (exit {proc.returncode})")
    return Run(wall, usage.ru_utime + usage.ru_stime)


def run_sandboxed(script: Path, bundle: Any, work: Path) -> Run:
    """The script through the sandbox with the default job limits; CPU time of the code and
    its children as the sandbox's launcher reports it (bwrap's own set-up is not in it)."""
    from trackrecord.jobs import sandbox
    from trackrecord.settings import Settings

    defaults = Settings(home=work)
    limits = sandbox.Limits(
        cpu_seconds=defaults.job_cpu_seconds,
        wall_seconds=defaults.job_wall_seconds,
        memory_mb=defaults.job_memory_mb,
        processes=defaults.job_processes,
        output_mb=defaults.job_output_mb,
        tmp_mb=defaults.job_tmp_mb,
    )
    fresh(bundle, work)
    (work / "work").mkdir()
    start = time.perf_counter()
    result = sandbox.run_code(script, work / "input", work / "work", limits)
    wall = time.perf_counter() - start
    if result.status != "ok" or result.output_file is None:
        raise SystemExit(f"the sandboxed run failed: {result.status}\n{result.stderr_tail}")
    return Run(wall, result.cpu_seconds)


def overhead(
    scripts: dict[str, Path], bundle: Any, scratch: Path, repeat: int
) -> dict[tuple[str, str], list[Run]]:
    """Each script bare and sandboxed, `repeat` times, all four alternating so that other
    load on the machine hits each alike."""
    runs: dict[tuple[str, str], list[Run]] = {}
    for script in scripts.values():
        run_bare(script, bundle, scratch / "warm")  # page cache, for both
    for _ in range(repeat):
        for name, script in scripts.items():
            runs.setdefault((name, "bare"), []).append(run_bare(script, bundle, scratch / "b"))
            boxed = run_sandboxed(script, bundle, scratch / "s")
            runs.setdefault((name, "sandbox"), []).append(boxed)
    return runs


# Workers --------------------------------------------------------------------------------


@contextlib.contextmanager
def workers(count: int, env: dict[str, str], logs: Path) -> Iterator[list[str]]:
    """`count` worker processes (concurrency 1 each), ready; stopped afterwards."""
    names = [f"bench-{uuid.uuid4().hex[:6]}-{i}" for i in range(count)]
    procs = []
    for name in names:
        log = (logs / f"{name}.log").open("wb")
        cmd = [sys.executable, "-m", "trackrecord", "worker", "--concurrency", "1", "--name", name]
        procs.append(
            subprocess.Popen(cmd, env={**os.environ, **env}, stdout=log, stderr=log,
                             start_new_session=True)
        )  # fmt: skip
    try:
        wait_ready(names, env, procs)
        yield names
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_ready(names: list[str], env: dict[str, str], procs: list[Any]) -> None:
    from trackrecord.jobs.celery_app import make_app
    from trackrecord.settings import load_settings

    app = make_app(load_settings(environ=env))
    wanted = {f"{n}@{socket.gethostname()}" for n in names}
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker exited at start-up; see its log")
            replies = app.control.ping(destination=sorted(wanted), timeout=1.0) or []
            if wanted <= {node for reply in replies for node in reply}:
                return
        raise SystemExit("the workers did not answer a ping within 120 s")
    finally:
        app.close()


def drain(svc: Any, learner: int, code: Path, count: int, executor: Any) -> float:
    """Submit `count` jobs at once; seconds until every one has ended (all must score)."""
    from sqlalchemy import func, select

    from trackrecord.jobs.queue import TERMINAL
    from trackrecord.service import jobs as service_jobs
    from trackrecord.store.models import Job

    start = time.perf_counter()
    ids = [
        service_jobs.submit_code(svc, learner, SLUG, code, executor=executor).id
        for _ in range(count)
    ]
    while True:
        with svc.reading() as s:
            ended = s.scalar(select(func.count()).where(Job.id.in_(ids), Job.state.in_(TERMINAL)))
        if ended == count:
            break
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    with svc.reading() as s:
        states = s.execute(select(Job.id, Job.state, Job.reason).where(Job.id.in_(ids))).all()
    failed = [(i, st, why) for i, st, why in states if st != "scored"]
    if failed:
        raise SystemExit(f"jobs did not score: {failed}")
    return seconds


def throughput(svc: Any, learner: int, code: Path, env: dict[str, str], logs: Path,
               count: int, jobs: int) -> float:  # fmt: skip
    from trackrecord.jobs.celery_app import CeleryExecutor

    executor = CeleryExecutor(svc.settings)
    try:
        with workers(count, env, logs):
            drain(svc, learner, code, count, executor)  # one warm-up job per worker
            return jobs / drain(svc, learner, code, jobs, executor) * 60
    finally:
        executor.close()


def remove_queue(broker: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(broker)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


# Report ---------------------------------------------------------------------------------


def med(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def report(
    args: argparse.Namespace, runs: dict[tuple[str, str], list[Run]], rates: list[float]
) -> None:
    one, two = rates
    print(f"\n{args.rows:,} training and test rows, {FEATURES} features; db {args.db}")
    print("| script | how | wall s (median) | CPU s of the code (median) | wall vs bare |")
    print("|---|---|---:|---:|---:|")
    for (name, how), got in runs.items():
        base = med(runs[(name, "bare")], "wall")
        wall, cpu = med(got, "wall"), med(got, "cpu")
        print(f"| {name} | {how} | {wall:.2f} | {cpu:.2f} | {wall / base:.2f}x |")
    for name in dict.fromkeys(n for n, _ in runs):
        bare, boxed = med(runs[(name, "bare")], "wall"), med(runs[(name, "sandbox")], "wall")
        print(f"{name}: sandbox / bare {boxed / bare:.2f}x ({boxed - bare:+.2f} s per run)")
    print("\n| workers | jobs/min | seconds per job | vs 1 worker |")
    print("|---:|---:|---:|---:|")
    for n, rate in ((1, one), (2, two)):
        print(f"| {n} | {rate:.1f} | {60 / rate:.2f} | {rate / one:.2f}x |")
    boxed = med(runs[("training", "sandbox")], "wall")
    print(f"\n2 workers / 1 worker: {two / one:.2f}x; one job end to end (1 worker) / one "
          f"sandboxed run: {60 / one / boxed:.2f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--jobs", type=int, default=12, help="jobs per throughput run")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5, help="bare and sandboxed runs each")
    args = parser.parse_args()

    from trackrecord.jobs.sandbox import unavailable
    from trackrecord.service import Service
    from trackrecord.settings import load_settings

    if reason := unavailable():
        raise SystemExit(f"the sandbox cannot run here: {reason}")
    print(describe())
    broker = os.environ.get("TRACKRECORD_BENCH_REDIS_URL", DEFAULT_REDIS)
    queue = f"trackrecord-bench-{uuid.uuid4().hex[:8]}"
    home = Path(tempfile.mkdtemp(prefix="trackrecord-bench-jobs-"))
    try:
        bundle = write_challenge(home / "src", args.rows)
        script, empty = home / "train.py", home / "empty.py"
        script.write_text(SCRIPT)
        empty.write_text(EMPTY)
        scripts = {"empty": empty, "training": script}
        runs = overhead(scripts, bundle, home / "scratch", args.repeat)
        with database(args.db, home) as url:
            env = environment(home, url, broker, queue)
            with Service(load_settings(environ=env)) as svc:
                learner = seed(svc, bundle)
                rates = [throughput(svc, learner, script, env, home, n, args.jobs) for n in (1, 2)]
        report(args, runs, rates)
        print(describe())
    finally:
        remove_queue(broker, queue)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
