"""Benchmark: building the whole catalog on a fresh machine (target: under 60 s for 100
projects on 2 cores), and re-measuring every field (the slow, offline step behind
`python -m trackrecord.catalog.build --update-stored`).

Measured in the same run:
  - build: `trackrecord catalog build --home EMPTY` end to end in a fresh process, what
    `make run` does on a fresh machine (every bundle written from the stored numbers);
  - startup floor: `trackrecord catalog --help` in a fresh process (interpreter, imports);
  - copy floor: copying the built catalog (the same files, the same bytes) with
    shutil.copytree: what writing the output costs with no work at all;
  - fields (--fields): every project built and measured from scratch (baseline, reference,
    the field of about ten pipelines, the no-skill constants, the bootstrap SE), per
    project, into a scratch folder; stored.json is not touched.

    python bench/catalog.py [--repeat 3] [--fields] [--only ID ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

from trackrecord.catalog.build import evaluate_recipe
from trackrecord.catalog.registry import all_recipes, get_recipe

TRACKRECORD = str(Path(sys.executable).with_name("trackrecord"))


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_build(repeat: int) -> None:
    n = len(all_recipes())
    builds, helps, copies = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            env = {**os.environ, "TRACKRECORD_HOME": str(home)}
            helps.append(_timed([TRACKRECORD, "catalog", "--help"], env))
            builds.append(_timed([TRACKRECORD, "catalog", "build"], env))
            start = time.perf_counter()
            shutil.copytree(home / "catalog", Path(tmp) / "copy")
            copies.append(time.perf_counter() - start)
    build, startup, copy = (statistics.median(x) for x in (builds, helps, copies))
    print(f"catalog build, {n} projects, fresh home: {build:.1f} s (median of {repeat})")
    print(f"  startup floor (catalog --help): {startup:.2f} s  -> build is {build / startup:.1f}x")
    print(f"  copy floor (copytree of the output): {copy:.2f} s -> build is {build / copy:.0f}x")
    print(f"  per project: {build / n:.2f} s; target: under 60 s for all projects")


def bench_fields(ids: list[str]) -> None:
    """Re-measure each project from scratch, one line as each ends (wall and CPU seconds:
    on a loaded machine the CPU time is what a quiet one would wait)."""
    recipes = [get_recipe(i) for i in ids] if ids else all_recipes()
    walls: dict[str, float] = {}
    cpus: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for recipe in recipes:
            start, cpu = time.perf_counter(), time.process_time()
            evaluate_recipe(recipe, Path(tmp) / recipe.id)
            walls[recipe.id] = time.perf_counter() - start
            cpus[recipe.id] = time.process_time() - cpu
            print(f"  {recipe.id:28s} {walls[recipe.id]:7.1f} s wall {cpus[recipe.id]:7.1f} s CPU")
    wall, cpu = sum(walls.values()), sum(cpus.values())
    print(f"re-measuring every field: {wall:.0f} s wall, {cpu:.0f} s CPU for {len(walls)} projects")
    for rid, s in sorted(cpus.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  slowest: {rid:28s} {s:6.1f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fields", action="store_true", help="also re-measure every field")
    parser.add_argument("--only", nargs="*", default=[], help="fields of these ids only")
    parser.add_argument("--no-build", action="store_true", help="skip the build timing")
    args = parser.parse_args()
    print(describe())
    if not args.no_build:
        bench_build(args.repeat)
    if args.fields:
        bench_fields(args.only)


if __name__ == "__main__":
    main()
