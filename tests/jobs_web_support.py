"""Helpers for the tests of code submissions in the web app, the API, the client and the
notebook API (tests/test_jobs_web.py, test_jobs_api.py, test_jobs_browser.py).

`HeldExecutor` keeps the jobs the app hands it until the test runs them, so a test sees a
job queued, then ended. `BareSandbox` runs the code with this interpreter and no isolation
(the sandbox itself is tested in tests/test_sandbox*.py); `sandbox()` is the real one when
this machine can run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from trackrecord.jobs.runner import BubblewrapSandbox, Sandbox, run_job
from trackrecord.service import Service
from trackrecord.settings import Settings

from .conftest import SECRET_BASE
from .test_web_support import PRIVATE_OFF, PUBLIC_OFF

# Writes the toy-reg submission of test_web_support.split_submission: public RMSE
# PUBLIC_OFF, private RMSE PRIVATE_OFF (so a private score showing up is detectable).
GOOD = f"""\
import os
from pathlib import Path

import pandas as pd

inp = Path(os.environ.get("TRACKRECORD_INPUT", "input"))
out = Path(os.environ.get("TRACKRECORD_OUTPUT", "output"))
test = pd.read_csv(inp / "test.csv")
ys = [{SECRET_BASE} + i + ({PUBLIC_OFF} if i % 2 == 0 else {PRIVATE_OFF}) for i in range(len(test))]
pd.DataFrame({{"id": test["id"], "y": ys}}).to_csv(out / "submission.csv", index=False)
print("wrote", len(ys), "rows")
"""
# Crashes with markup in its error output: pages must show it as text.
CRASH = """\
import sys

print("loading <b>features</b> & <script>alert('x')</script>", file=sys.stderr)
columns = {"x": 1}
columns["Age"]
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Outcome:
    status: str
    exit_code: int | None
    stderr_tail: str
    wall_seconds: float
    cpu_seconds: float
    output_file: Path | None


class BareSandbox:
    """Runs the code with this Python in a child process, input/ and output/ in its working
    folder, no limits and no isolation: the web tests' stand-in for the sandbox."""

    def run(self, code: Path, input_dir: Path, work_dir: Path, settings: Settings) -> Outcome:
        (work_dir / "input").symlink_to(input_dir, target_is_directory=True)
        out = work_dir / "output"
        out.mkdir()
        env = {**os.environ, "TRACKRECORD_INPUT": str(input_dir), "TRACKRECORD_OUTPUT": str(out)}
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(code)], cwd=work_dir, env=env, capture_output=True, timeout=120
        )
        wall = time.monotonic() - started
        found = out / "submission.csv"
        status = "ok" if done.returncode == 0 else "crashed"
        tail = done.stderr.decode("utf-8", "replace")[-4096:]
        file = found if found.exists() else None
        return Outcome(status, done.returncode, tail, wall, wall, file)

    def environment(self) -> dict[str, str]:
        return {"python": sys.version.split()[0]}

    def unavailable(self) -> str | None:
        return None


def sandbox() -> Sandbox:
    """The real sandbox when this machine can run it, else BareSandbox."""
    real = BubblewrapSandbox()
    return real if real.unavailable() is None else BareSandbox()


class HeldExecutor:
    """An executor that holds each job handed to it until `run()` (inline) or `release()`
    (on a thread, as a worker would) runs them with `sandbox`."""

    def __init__(self, svc: Service, sandbox: Sandbox | None = None) -> None:
        self.svc = svc
        self.sandbox = sandbox or BareSandbox()
        self.held: list[int] = []
        self.closed = False
        self._threads: list[threading.Thread] = []
        self.auto = False  # True: run each job on a thread as soon as it is submitted

    def submit(self, job_id: int) -> None:
        self.held.append(job_id)
        if self.auto:
            self.release()

    def run(self) -> list[str]:
        """Run every held job here; their states afterwards."""
        ids, self.held = self.held, []
        return [run_job(self.svc, job_id, "test-worker", sandbox=self.sandbox) for job_id in ids]

    def release(self) -> None:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self.closed = True
        for thread in self._threads:
            thread.join(timeout=60)
