"""Run a learner's code submission in a bubblewrap sandbox, within limits.

`run_code(code, input_dir, work_dir, limits)` runs a script (.py) or a notebook (.ipynb,
its code cells in order) with the runner's own Python and packages, and says how it ended
(`RunResult.status`). Inside, the working directory `/sandbox` holds `input/` (the public
files, read-only) and `output/` (writable; `submission.csv` goes there), also named by
$TRACKRECORD_INPUT and $TRACKRECORD_OUTPUT. Nothing else of the host is writable, and
nothing private is mounted at all: see docs/sandbox.md for the full list.

How the limits hold:
- bwrap unshares the namespaces (no network: only a loopback with nothing behind it) and
  runs a small launcher (sources.LAUNCHER) that sets the rlimits (CPU, address space,
  processes, file size, open files, no core dumps) and, when the runner is root, enters a
  chroot jail and drops to a uid of this run's own before it runs the code. Linux never
  applies RLIMIT_NPROC to root; a uid per run keeps runs from sharing the count; and a
  chrooted process cannot make a user namespace (to unmount what covers the datasets).
- The runner watches from outside: the wall clock, the bytes printed (kept as a capped
  tail, so printing gigabytes costs neither memory nor disk), the size of output/, the
  files in the private /tmp and the memory of all the run's processes; past a limit it
  kills the sandbox (bwrap's process group; the PID namespace then takes every process of
  the run with it).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from trackrecord.jobs.notebook_script import NotebookError, notebook_script
from trackrecord.jobs.sources import JAIL, SHM_MB, Layout, command, covering, python_roots

Status = Literal[
    "ok", "time-limit", "memory-limit", "crashed", "no-output", "output-limit", "sandbox-error"
]
SUBMISSION = "submission.csv"
TAIL_BYTES = 4096
POLL_SECONDS = 0.1
# What a crash's error output says, explained in its `detail`.
WRITABLE = "only output/ ($TRACKRECORD_OUTPUT) and /tmp are writable; the rest is read-only"
HINTS = (
    ("Read-only file system", WRITABLE),
    ("Permission denied", WRITABLE),
    ("Resource temporarily unavailable", "it hit the limit of {limits.processes} processes"),
    ("Connection refused", "the sandbox has no network"),
    ("Network is unreachable", "the sandbox has no network"),
    ("Temporary failure in name resolution", "the sandbox has no network"),
)
# A uid of its own per run when the runner is root: high, so no account has it.
UID_BASE, UID_SPAN = 1_500_000_000, 1 << 24
PAGE = os.sysconf("SC_PAGE_SIZE")
MEMORY_SIGNS = (
    "MemoryError", "std::bad_alloc", "Cannot allocate memory", "Unable to allocate",
    "out of memory", "failed to allocate", "allocate too many memory regions",
)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """What one run may use (settings job_cpu_seconds, job_wall_seconds, job_memory_mb,
    job_processes, job_output_mb, job_tmp_mb)."""

    cpu_seconds: int = 300
    wall_seconds: float = 600
    memory_mb: int = 2048
    processes: int = 64
    output_mb: int = 100
    tmp_mb: int = 512

    def __post_init__(self) -> None:
        for name in ("cpu_seconds", "wall_seconds", "memory_mb", "processes", "output_mb"):
            if getattr(self, name) <= 0:
                raise ValueError(f"sandbox limit {name} must be positive")
        if self.tmp_mb < 1:
            raise ValueError("sandbox limit tmp_mb must be at least 1")


@dataclass(frozen=True)
class RunResult:
    """How a run ended. `stderr_tail` is the last ~4 KB of the code's error output (or, for
    a sandbox-error, the reason); `detail` says in one sentence what happened."""

    status: Status
    exit_code: int | None
    stderr_tail: str
    wall_seconds: float
    cpu_seconds: float
    output_file: Path | None
    stdout_tail: str = ""
    detail: str = ""


def _fail(status: Status, detail: str, stderr: str | None = None) -> RunResult:
    return RunResult(status, None, detail if stderr is None else stderr, 0.0, 0.0, None,
                     detail=detail)  # fmt: skip


# Preparing the folders -------------------------------------------------------------------


def _run_ids() -> tuple[int, int] | None:
    """The uid and gid of this run when the runner is root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    uid = UID_BASE + secrets.randbelow(UID_SPAN)
    return uid, uid


def _stage_code(code: Path, staging: Path) -> str:
    """Copy the code (a notebook as its script) into `staging`; returns the file name."""
    raw = code.read_bytes()
    suffix = code.suffix.lower()
    if suffix == ".ipynb":
        text = notebook_script(raw).text.encode("utf-8")
        name = code.stem + ".py"
    elif suffix == ".py":
        text, name = raw, code.name
    else:
        raise NotebookError(f"{code.name}: the code must be a .py script or an .ipynb notebook")
    staging.mkdir(mode=0o755)
    target = staging / name
    target.write_bytes(text)
    target.chmod(0o644)
    return name


def _open_input(input_dir: Path) -> None:
    """The public files become readable by the run's uid (they are public anyway)."""
    for dirpath, _, files in os.walk(input_dir):
        os.chmod(dirpath, os.stat(dirpath).st_mode | 0o555)
        for name in files:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o444)


def _fresh(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
    path.mkdir(mode=0o755)


def _give_back(output: Path) -> None:
    """Hand output/ back to the runner's uid (links not followed)."""
    me, group = os.geteuid(), os.getegid()
    os.chown(output, me, group, follow_symlinks=False)
    for dirpath, dirs, files in os.walk(output):
        for name in dirs + files:
            os.chown(os.path.join(dirpath, name), me, group, follow_symlinks=False)


# Watching the run -----------------------------------------------------------------------


class _Tail:
    """The last `keep` bytes of a stream, in bounded memory."""

    def __init__(self, keep: int = TAIL_BYTES) -> None:
        self.keep, self.buf = keep, bytearray()

    def add(self, chunk: bytes) -> None:
        self.buf += chunk
        if len(self.buf) > 4 * self.keep:
            del self.buf[: -self.keep]

    def text(self) -> str:
        data = bytes(self.buf[-self.keep :])
        if len(self.buf) > self.keep and b"\n" in data:
            data = data[data.index(b"\n") + 1 :]
        return data.decode("utf-8", errors="replace")


def folder_bytes(path: Path) -> int:
    """Bytes a folder holds, counting each entry as at least one 4 KiB block (a million
    empty files fill a disk's inodes) and never following links."""
    total, stack = 0, [str(path)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total += max(st.st_size, st.st_blocks * 512, 4096)
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
    return total


@dataclass
class _Watch:
    stdout: _Tail = field(default_factory=_Tail)
    stderr: _Tail = field(default_factory=_Tail)
    ready: bytes = b""
    printed: int = 0
    killed: str | None = None  # why the runner stopped it: a key of KILLED
    status: int = 0
    cpu: float = 0.0


class _Inside:
    """The sandbox seen from the host, through /proc/PID/root of bwrap's child (the init of
    the run's PID namespace): its private /tmp and /dev/shm, and its own /proc, which lists
    the run's processes and nothing else."""

    def __init__(self, bwrap_pid: int, base: str) -> None:
        self.bwrap_pid, self.base = bwrap_pid, base
        self.root: Path | None = None

    def _root(self) -> Path | None:
        if self.root is None:
            pid = self.bwrap_pid
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                return None
            self.root = Path(f"/proc/{children[0]}/root{self.base}") if children else None
        return self.root

    def files(self) -> int:
        """Files and folders in /tmp and /dev/shm: tmpfs bounds their bytes, not their
        number, and each costs the host kernel memory."""
        root, used = self._root(), 0
        for sub in ("tmp", "dev/shm") if root else ():
            with contextlib.suppress(OSError):
                st = os.statvfs(f"{root}/{sub}")
                used += st.f_files - st.f_ffree
        return used

    def memory(self) -> int:
        """Resident bytes of all the run's processes together (RLIMIT_AS bounds each)."""
        root, total = self._root(), 0
        if root is None:
            return 0
        with contextlib.suppress(OSError):
            for entry in os.scandir(root / "proc"):
                if entry.name.isdigit():
                    with contextlib.suppress(OSError, ValueError, IndexError):
                        total += int(Path(entry.path, "statm").read_text().split()[1]) * PAGE
        return total


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _over(w: _Watch, limits: Limits, output: Path, inside: _Inside) -> str | None:
    """Which limit watched from outside the run has passed (a key of KILLED), if any."""
    cap = limits.output_mb << 20
    if w.printed > cap:
        return "printed"
    if folder_bytes(output) > cap:
        return "output"
    if inside.files() > (limits.tmp_mb + SHM_MB) * 256:
        return "files"
    if inside.memory() > limits.memory_mb << 20:
        return "memory"
    return None


def _watch(
    proc: subprocess.Popen[bytes], ready_fd: int, limits: Limits, output: Path, base: str
) -> _Watch:
    """Read the pipes and enforce the limits watched from outside until bwrap is reaped
    (and its pipes drained, for at most a couple of seconds more)."""
    w, inside = _Watch(), _Inside(proc.pid, base)
    sel = selectors.DefaultSelector()
    assert proc.stdout is not None and proc.stderr is not None
    for stream, tail in ((proc.stdout, w.stdout), (proc.stderr, w.stderr)):
        os.set_blocking(stream.fileno(), False)
        sel.register(stream, selectors.EVENT_READ, tail)
    os.set_blocking(ready_fd, False)
    sel.register(ready_fd, selectors.EVENT_READ, None)
    deadline = time.monotonic() + limits.wall_seconds
    next_check, reaped_at = 0.0, None
    while sel.get_map() or reaped_at is None:
        if sel.get_map():
            _read(sel, w)
        else:
            time.sleep(POLL_SECONDS / 5)
        now = time.monotonic()
        if reaped_at is None:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                reaped_at = now
                proc.returncode = w.status = os.waitstatus_to_exitcode(status)
                w.cpu = usage.ru_utime + usage.ru_stime
        elif now - reaped_at > 2:
            break  # something outlived bwrap and holds a pipe: stop reading
        if w.killed is None and reaped_at is None:
            if now >= deadline:
                w.killed = "wall"
            elif now >= next_check:
                next_check = now + POLL_SECONDS
                w.killed = _over(w, limits, output, inside)
            if w.killed:
                _kill(proc)
    sel.close()
    return w


def _read(sel: selectors.BaseSelector, w: _Watch) -> None:
    for key, _ in sel.select(POLL_SECONDS):
        try:
            chunk = os.read(key.fd, 1 << 16)
        except BlockingIOError:
            continue
        if not chunk:
            sel.unregister(key.fileobj)
        elif key.data is None:
            w.ready += chunk
        else:
            key.data.add(chunk)
            w.printed += len(chunk)


def _strays(uid: int, seconds: float = 5.0) -> None:
    """Kill what is left with the run's uid and wait until it is gone (the PID namespace
    leaves nothing, but its last processes may still be exiting when bwrap is reaped)."""
    deadline = time.monotonic() + seconds
    while (left := _processes_of(uid)) and time.monotonic() < deadline:
        for pid in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(POLL_SECONDS / 5)


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
    return found


# Saying how it ended ----------------------------------------------------------------------


def _killed(why: str, limits: Limits) -> tuple[Status, str]:
    mb = limits.output_mb
    reasons: dict[str, tuple[Status, str]] = {
        "wall": ("time-limit", f"stopped after the wall-time limit of {limits.wall_seconds:g} s"),
        "printed": ("output-limit", f"stopped: it printed more than {mb} MB"),
        "output": ("output-limit", f"stopped: output/ grew past {mb} MB"),
        "files": ("output-limit", "stopped: it made too many files in /tmp"),
        "memory": ("memory-limit", (
            f"stopped: its processes together used more than {limits.memory_mb} MB")),
    }  # fmt: skip
    return reasons[why]


def _classify(w: _Watch, limits: Limits, output: Path) -> tuple[Status, str]:
    stderr = w.stderr.text()
    if w.killed:
        return _killed(w.killed, limits)
    cpu_out = w.status == -signal.SIGKILL and w.cpu >= limits.cpu_seconds
    if w.status == -signal.SIGXCPU or cpu_out:
        return "time-limit", f"stopped after the CPU-time limit of {limits.cpu_seconds} s"
    if w.status != 0 and any(sign in stderr for sign in MEMORY_SIGNS):
        return "memory-limit", f"ran out of memory (limit {limits.memory_mb} MB)"
    if w.status != 0 and ("File too large" in stderr or w.status == -signal.SIGXFSZ):
        return "output-limit", f"stopped: a file grew past {limits.output_mb} MB"
    if w.status != 0 and "No space left on device" in stderr:
        return "output-limit", "stopped: its private /tmp or /dev/shm is full"
    if w.status != 0:
        hints = [why.format(limits=limits) for sign, why in HINTS if sign in stderr]
        return "crashed", f"exited with code {w.status}" + "".join(f" ({h})" for h in hints[:1])
    path = output / SUBMISSION
    if path.is_symlink() or not path.is_file():
        return "no-output", f"finished without writing output/{SUBMISSION}"
    return "ok", "finished and wrote output/submission.csv"


def run_code(
    code: Path,
    input_dir: Path,
    work_dir: Path,
    limits: Limits | None = None,
    *,
    hide: Sequence[Path] = (),
) -> RunResult:
    """Run `code` (.py or .ipynb) in the sandbox with `input_dir` as its input/, writing
    into `work_dir`/output/. `hide`: host paths (the data directory, the database) that
    must stay invisible even if they lie inside a mounted tree. Never raises for a problem
    of the code or the sandbox: the status says."""
    limits = limits or Limits()
    reason = unavailable()
    if reason:
        return _fail("sandbox-error", reason)
    return _run(code, input_dir, work_dir, limits, hide)


def _run(
    code: Path, input_dir: Path, work_dir: Path, limits: Limits, hide: Sequence[Path]
) -> RunResult:
    work_dir.mkdir(parents=True, exist_ok=True)
    staging, output = work_dir / ".sandbox", work_dir / "output"
    _fresh(output)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(mode=0o755)
    try:
        script = _stage_code(code, staging / "code")
    except (NotebookError, OSError) as exc:
        return _fail("crashed", str(exc))
    empty = staging / "empty"
    empty.write_bytes(b"")
    ids = _run_ids()
    if ids is not None:
        _open_input(input_dir)
        os.chown(output, *ids)
        output.chmod(0o700)
    layout = Layout(input_dir.resolve(), output, staging / "code", script, empty)
    hidden = covering(hide, python_roots())
    ready_r, ready_w = os.pipe()
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            command(layout, limits, ids, ready_w, hidden),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            pass_fds=(ready_w,), start_new_session=True,
        )  # fmt: skip
    except OSError as exc:
        os.close(ready_r)
        os.close(ready_w)
        return _fail("sandbox-error", f"bwrap could not be started: {exc}")
    os.close(ready_w)
    try:
        w = _watch(proc, ready_r, limits, output, JAIL if ids is not None else "")
    finally:
        if proc.returncode is None:  # interrupted: never leave the sandbox running
            _kill(proc)
            proc.wait()
        os.close(ready_r)
        if ids is not None:
            _strays(ids[0])
            _give_back(output)
    wall = time.monotonic() - started
    if not _reported(w):
        tail = w.stderr.text().strip() or f"bwrap exited with code {w.status}"
        return RunResult("sandbox-error", w.status, tail, wall, w.cpu, None,
                         detail=f"the sandbox did not start: {tail.splitlines()[-1]}")  # fmt: skip
    status, detail = _classify(w, limits, output)
    out = output / SUBMISSION if status == "ok" else None
    return RunResult(status, w.status, w.stderr.text(), wall, w.cpu, out, w.stdout.text(), detail)


def _reported(w: _Watch) -> bool:
    """Whether the launcher started the code; takes the code's own exit status and CPU
    time from its report when it made one (a run killed from outside has none)."""
    lines = w.ready.decode("ascii", errors="replace").split("\n")
    if lines[0] != "ready":
        return False
    fields = lines[1].split() if len(lines) > 1 else []
    if len(fields) == 2:
        with contextlib.suppress(ValueError):
            w.status, w.cpu = os.waitstatus_to_exitcode(int(fields[0])), float(fields[1])
    return True


@cache
def unavailable() -> str | None:
    """Why the sandbox cannot run here (bwrap missing, namespaces refused), or None. Runs a
    trivial script through the whole sandbox once per process."""
    if sys.platform != "linux":
        return f"the sandbox needs Linux (bubblewrap); this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return (
            "bubblewrap is not installed (the `bwrap` command; Debian: apt-get install bubblewrap)"
        )
    with tempfile.TemporaryDirectory(prefix="trackrecord-probe-") as tmp:
        root = Path(tmp)
        (root / "input").mkdir()
        probe = root / "probe.py"
        probe.write_text("open('output/submission.csv', 'w').write('ok\\n')\n")
        limits = Limits(cpu_seconds=30, wall_seconds=60, memory_mb=1024, processes=16,
                        output_mb=1, tmp_mb=1)  # fmt: skip
        result = _run(probe, root / "input", root / "work", limits, ())
    if result.status == "ok":
        return None
    lines = result.stderr_tail.strip().splitlines()
    why = lines[-1] if lines else result.detail
    return (
        f"bwrap could not run a test script ({result.status}: {why}); check that user "
        "namespaces are allowed (sysctl user.max_user_namespaces > 0, "
        "kernel.unprivileged_userns_clone = 1 where it exists) or run the worker as root"
    )


def environment() -> dict[str, str]:
    """The Python and the installed distributions (name -> version) the code runs with,
    sorted, so equal environments give equal dicts."""
    out = {"python": platform.python_version(), "implementation": sys.implementation.name}
    versions: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = (dist.metadata["Name"] or "").strip().lower().replace("_", "-")
        if name and name != "trackrecord" and name not in versions:
            versions[name] = dist.version
    out.update(sorted(versions.items()))
    return out
