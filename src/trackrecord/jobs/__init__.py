"""Code submissions: a learner's script or notebook, re-run by the host in a sandbox.

- `queue`: the jobs table as a queue (enqueue, claim with a lease, heartbeat, complete,
  fail, cancel, position, reap); the database is the source of truth for job state.
- `runner.run_job`: what a worker does with a job id.
- `executor`: the Executor protocol and the choice by settings; `local`: the process pool
  and the CLI's background runs; `celery_app`: Celery workers with a Redis broker.
- `sandbox`: bubblewrap, with limits on time, memory, processes and output.
"""

from __future__ import annotations

from trackrecord.jobs.executor import Executor, executor_for, sweep
from trackrecord.jobs.queue import (
    CANCELLED,
    FAILED,
    QUEUED,
    RUNNING,
    SCORED,
    Reaped,
    cancel,
    claim,
    enqueue,
    heartbeat,
    position,
    reap,
    reap_due,
)
from trackrecord.jobs.runner import run_job

__all__ = [
    "CANCELLED",
    "FAILED",
    "QUEUED",
    "RUNNING",
    "SCORED",
    "Executor",
    "Reaped",
    "cancel",
    "claim",
    "enqueue",
    "executor_for",
    "heartbeat",
    "position",
    "reap",
    "reap_due",
    "run_job",
    "sweep",
]
