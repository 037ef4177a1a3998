"""Benchmark: `trackrecord score` end to end on large binary-probability submissions.

Two cases (--case, default both):
  - sorted: 10,000,000 rows (--rows), answer key and submission both in id order;
  - shuffled: 3,000,000 rows (--shuffled-rows), the answer key's rows in a shuffled id order
    (ids 1..n, as the catalog writes them) and the submission's rows shuffled again: what a
    server sees from a learner who wrote their predictions in any order.
In each case the contenders run as separate processes in the same run, each timed (median
of --repeat rounds; within a round every contender runs once, in turn, so a busy machine
slows them alike) with its peak resident memory read from the kernel (wait4):
  - trackrecord: `trackrecord score BUNDLE FILE --json` (cold: a run that parses the answer
    key and caches it as Arrow; warm: later runs memory-map the cache);
  - baseline "pandas+sklearn": pandas.read_csv of both files, merge on id, sklearn
    roc_auc_score on each split: the usual scoring script;
  - floor "pyarrow read": pyarrow reading the two CSV files and nothing else.
Targets (issue 2, and issue 11 for the shuffled case): >= 5x faster than the baseline in
the same run, within 2x of the floor, peak memory no higher than the baseline's.

    python bench/scoring.py [--case sorted|shuffled|both] [--rows 10000000]
                            [--shuffled-rows 3000000] [--repeat 3] [--out bench/out]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from machine import describe

BASELINE = """
import sys, pandas as pd
from sklearn.metrics import roc_auc_score
sub = pd.read_csv(sys.argv[1]); sol = pd.read_csv(sys.argv[2])
m = sol.merge(sub, on="id", suffixes=("_true", "_pred"))
for split in ("Public", "Private"):
    part = m[m["Usage"] == split]
    print(split, roc_auc_score(part["y_true"], part["y_pred"]))
"""

FLOOR = """
import sys, pyarrow.csv as c
a = c.read_csv(sys.argv[1]); b = c.read_csv(sys.argv[2])
print(a.num_rows, b.num_rows)
"""

FLOOR_JEMALLOC = FLOOR.replace(
    "import sys, pyarrow.csv as c",
    "import sys, pyarrow as pa, pyarrow.csv as c; pa.set_memory_pool(pa.jemalloc_memory_pool())",
)

TOML = """format_version = 1
[challenge]
id = "bench-binary"
title = "Benchmark: 10M-row binary"
task = "binary-classification"
metric = "roc_auc"
id_column = "id"
target_columns = ["y"]
labels = ["0", "1"]
"""


def make_data(out: Path, rows: int, *, shuffled: bool = False) -> tuple[Path, Path]:
    bundle = out / "bundle"
    sub_path = out / "submission.csv"
    if sub_path.exists() and (bundle / "private/solution.csv").exists():
        return bundle, sub_path
    rng = np.random.default_rng(0)
    # Shuffled: ids 1..n in a random order in the answer key (the catalog's seeded
    # permutation), and the submission's rows in another random order.
    ids = 1 + rng.permutation(rows) if shuffled else np.arange(rows, dtype=np.int64)
    y = (rng.random(rows) < 0.3).astype(np.int8)
    p = np.clip(y * 0.25 + rng.random(rows) * 0.75, 0, 1)
    usage = np.where(rng.random(rows) < 0.3, "Public", "Private")
    for d in ("public", "private"):
        (bundle / d).mkdir(parents=True, exist_ok=True)
    (bundle / "challenge.toml").write_text(TOML)
    (bundle / "description.md").write_text("# Benchmark\n")
    pacsv.write_csv(pa.table({"id": ids, "y": y, "Usage": usage}), bundle / "private/solution.csv")
    pacsv.write_csv(pa.table({"id": ids}), bundle / "public/test.csv")
    pacsv.write_csv(
        pa.table({"id": ids[:10], "y": np.full(10, 0.5)}), bundle / "public/sample_submission.csv"
    )
    pacsv.write_csv(pa.table({"id": ids[:10]}), bundle / "public/train.csv")
    rows_out = rng.permutation(rows) if shuffled else slice(None)
    pacsv.write_csv(pa.table({"id": ids[rows_out], "y": p[rows_out]}), sub_path)
    return bundle, sub_path


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MiB, stdout of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:3]} failed:\n{err}")
    return elapsed, usage.ru_maxrss // 1024, out


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def bench_case(case: str, out: Path, rows: int, repeat: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    bundle, sub = make_data(out, rows, shuffled=case == "shuffled")
    home = out / "home"
    # Bytecode caches are written as on any ordinary install: pip compiles pandas' and
    # scikit-learn's modules when it installs them, while an editable install of this
    # project compiles on first import; with PYTHONDONTWRITEBYTECODE set, only our CLI
    # would recompile its own modules on every run (about 40 ms here).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"TRACKRECORD_HOME": str(home), "TRACKRECORD_MAX_UPLOAD_MB": "4096"}
    exe = Path(sys.executable).with_name("trackrecord")
    ours = [str(exe), "score", str(bundle), str(sub), "--json"]
    sol = str(bundle / "private/solution.csv")
    print(
        f"\ncase {case}: {rows:,} rows; submission {sub.stat().st_size / 2**20:.0f} MiB, "
        f"answer key {Path(sol).stat().st_size / 2**20:.0f} MiB; median of {repeat} rounds"
    )
    print(f"at the start: {load()}")
    contenders = {
        "trackrecord score (cold)": ours,  # each cold run starts without the parsed key
        "trackrecord score (warm)": ours,
        "baseline pandas+sklearn": [sys.executable, "-c", BASELINE, str(sub), sol],
        "floor pyarrow read": [sys.executable, "-c", FLOOR, str(sub), sol],
        # The same floor with the allocator trackrecord uses for its reads (jemalloc):
        # shown so the comparison with the default-pool floor hides nothing.
        "floor pyarrow read (jemalloc)": [sys.executable, "-c", FLOOR_JEMALLOC, str(sub), sol],
    }
    runs: dict[str, list[tuple[float, int, str]]] = {name: [] for name in contenders}
    for _ in range(repeat):  # rounds: every contender once, in turn
        for name, cmd in contenders.items():
            if name.endswith("(cold)"):
                shutil.rmtree(home, ignore_errors=True)
            runs[name].append(run(cmd, env))
    times = {
        name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs))
        for name, rs in runs.items()
    }
    result = json.loads(runs["trackrecord score (warm)"][-1][2])
    base, floor = times["baseline pandas+sklearn"][0], times["floor pyarrow read"][0]
    print(f"{'contender':31} {'seconds':>8} {'peak MiB':>9} {'vs baseline':>12} {'vs floor':>9}")
    for name, (secs, mem) in times.items():
        print(f"{name:31} {secs:8.2f} {mem:9d} {base / secs:11.1f}x {secs / floor:8.2f}x")
    for name in ("trackrecord score (warm)", "trackrecord score (cold)"):
        per_round = [
            b[0] / o[0] for b, o in zip(runs["baseline pandas+sklearn"], runs[name], strict=True)
        ]
        shown = ", ".join(f"{r:.1f}x" for r in per_round)
        print(f"baseline / {name}, round by round: {shown}")
    print(f"scores: public {result['public']:.6f} private {result['private']:.6f}")
    print(f"baseline said: {' '.join(runs['baseline pandas+sklearn'][-1][2].split())}")
    print(f"at the end: {load()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=("sorted", "shuffled", "both"), default="both")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--shuffled-rows", type=int, default=3_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "scoring")
    args = ap.parse_args()
    print(f"machine: {describe()}")
    if args.case in ("sorted", "both"):
        bench_case("sorted", args.out, args.rows, args.repeat)
    if args.case in ("shuffled", "both"):
        bench_case("shuffled", args.out / "shuffled", args.shuffled_rows, args.repeat)


if __name__ == "__main__":
    main()
