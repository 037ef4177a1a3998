"""One line that says which machine a benchmark ran on, for docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> int:
    try:
        return int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        return 0


def describe() -> str:
    """CPUs, model, memory, Python, OS and the load averages (others' work slows timings)."""
    one, five, fifteen = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{os.cpu_count()} CPUs ({_cpu()}), {_memory_gib()} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"load average {one:.2f} {five:.2f} {fifteen:.2f}"
    )
