"""Running jobs (jobs/runner.py) with a fake sandbox, the service's code submissions
(service/jobs.py), the local executor, and one run in the real sandbox."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SECRET_BASE, FakeCatalog, Spec, regression_file, write_toy_bundle
from trackrecord.bundle import Bundle
from trackrecord.errors import Conflict, InvalidSubmission, NotFound, PayloadTooLarge, QuotaExceeded
from trackrecord.jobs import queue as Q
from trackrecord.jobs.runner import run_job
from trackrecord.service import Service
from trackrecord.service import jobs as J
from trackrecord.settings import Settings
from trackrecord.store.models import Job, Submission, User

ENV = {"python": "3.11.0", "numpy": "1.0"}


@dataclass(frozen=True)
class Outcome:
    status: str = "ok"
    exit_code: int | None = 0
    stderr_tail: str = ""
    wall_seconds: float = 0.5
    cpu_seconds: float = 0.4
    output_file: Path | None = None


@dataclass
class FakeSandbox:
    """Writes output/submission.csv with `write(input_dir, out)` (None: no file) and
    reports `status`; records what it was given."""

    write: Callable[[Path, Path], None] | None = None
    status: str = "ok"
    stderr: str = ""
    missing: str | None = None
    seen: list[list[str]] = field(default_factory=list)

    def run(self, code: Path, input_dir: Path, work_dir: Path, settings: Settings) -> Outcome:
        self.seen.append(sorted(p.name for p in input_dir.rglob("*")))
        out = work_dir / "output" / "submission.csv"
        out.parent.mkdir(exist_ok=True)
        if self.write is not None:
            self.write(input_dir, out)
        found = out if out.exists() or out.is_symlink() else None
        return Outcome(self.status, 0 if self.status == "ok" else 1, self.stderr, output_file=found)

    def environment(self) -> dict[str, str]:
        return dict(ENV)

    def unavailable(self) -> str | None:
        return self.missing


def perfect(input_dir: Path, out: Path) -> None:
    test = pd.read_csv(input_dir / "test.csv")
    pd.DataFrame({"id": test["id"], "y": [SECRET_BASE + i for i in range(len(test))]}).to_csv(
        out, index=False
    )


def bad_columns(input_dir: Path, out: Path) -> None:
    out.write_text("id,wrong\n1,2\n")


def queue_job(svc: Service, code: bytes = b"print('hi')\n", project: str = "toy-reg") -> int:
    user_id = svc.local_user_id()  # before the session: it takes the write lock itself
    with svc.session(write_lock=True) as s:
        row = svc.challenge_row(s, project)
        job = Q.enqueue(
            s, user_id=user_id, challenge_id=row.id, code=code, filename="main.py",
            now=svc.now(), max_code_bytes=svc.settings.max_code_bytes, per_user=10,
        )  # fmt: skip
        return job.id


def job_row(svc: Service, job_id: int) -> Job:
    with svc.session() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_is_run_scored_and_recorded_like_an_upload(service: Service) -> None:
    job_id = queue_job(service)
    sandbox = FakeSandbox(perfect)
    assert run_job(service, job_id, "w", sandbox=sandbox) == "scored"
    job = job_row(service, job_id)
    assert job.environment == ENV and job.wall_seconds == 0.5 and job.lease_expires_at is None
    assert job.worker is not None and job.worker.startswith("w:")
    assert sandbox.seen == [["sample_submission.csv", "test.csv", "train.csv"]]
    with service.session() as s:
        sub = s.get(Submission, job.submission_id)
        assert sub is not None
        assert (sub.status, sub.public_score, sub.original_filename) == (
            "scored", 0.0, "submission.csv")  # fmt: skip
    views = service.submissions(service.local_user_id(), "toy-reg")
    assert [v.status for v in views] == ["scored"]  # it counts like an upload
    # Run again (a duplicate message): nothing happens.
    assert run_job(service, job_id, "w2", sandbox=sandbox) == "scored"
    assert len(sandbox.seen) == 1


@pytest.mark.parametrize(
    ("sandbox", "failure", "words"),
    [
        (FakeSandbox(status="time-limit"), "time-limit", "time limit"),
        (FakeSandbox(status="memory-limit"), "memory-limit", "memory limit"),
        (FakeSandbox(status="crashed", stderr="Traceback\nKeyError: 'x'\n"), "crashed",
         "crashed: exited with code 1: KeyError: 'x'"),
        (FakeSandbox(), "no-output", "no output"),
        (FakeSandbox(status="output-limit"), "output-limit", "output too large"),
        (FakeSandbox(missing="bubblewrap is not installed"), "sandbox-unavailable",
         "sandbox unavailable: bubblewrap is not installed"),
        (FakeSandbox(bad_columns), "invalid-output", "invalid output: "),
    ],
)  # fmt: skip
def test_every_failure_ends_the_job_with_its_reason(
    service: Service, sandbox: FakeSandbox, failure: str, words: str
) -> None:
    job_id = queue_job(service)
    assert run_job(service, job_id, "w", sandbox=sandbox) == "failed"
    job = job_row(service, job_id)
    assert job.failure == failure
    assert job.reason is not None and words in job.reason
    assert job.finished_at is not None and job.lease_expires_at is None
    if failure == "crashed":
        assert job.stderr_tail == "Traceback\nKeyError: 'x'\n"
    if failure == "invalid-output":  # the scorer's own message, and the history keeps the file
        assert job.submission_id is not None
        [view] = service.submissions(service.local_user_id(), "toy-reg")
        assert view.status == "invalid" and view.problems[0] in job.reason


def test_a_link_to_a_file_outside_the_output_is_never_scored(service: Service) -> None:
    bundle = service.bundle("toy-reg")

    def link_to_answer_key(_input: Path, out: Path) -> None:
        out.symlink_to(bundle.solution_path)

    job_id = queue_job(service)
    assert run_job(service, job_id, "w", sandbox=FakeSandbox(link_to_answer_key)) == "failed"
    assert job_row(service, job_id).failure == "invalid-output"
    assert service.submissions(service.local_user_id(), "toy-reg") == []


def test_an_error_inside_the_runner_fails_the_job(service: Service) -> None:
    def boom(_input: Path, _out: Path) -> None:
        raise RuntimeError("disk on fire")

    job_id = queue_job(service)
    assert run_job(service, job_id, "w", sandbox=FakeSandbox(boom)) == "failed"
    job = job_row(service, job_id)
    assert job.failure == "internal-error" and "disk on fire" in (job.reason or "")


def test_a_run_that_lost_its_lease_records_nothing(service: Service) -> None:
    """The reaper took the job back while the code ran: the late run's output is not
    scored and the job is left to its next run."""
    job_id = queue_job(service)

    def reaped_meanwhile(input_dir: Path, out: Path) -> None:
        perfect(input_dir, out)
        with service.session(write_lock=True) as s:
            s.get(Job, job_id).lease_expires_at = service.now()  # type: ignore[union-attr]
        with service.session(write_lock=True) as s:
            assert Q.reap(s, service.now() + pd.Timedelta(seconds=1)).requeued == (job_id,)

    assert run_job(service, job_id, "w", sandbox=FakeSandbox(reaped_meanwhile)) == "queued"
    assert service.submissions(service.local_user_id(), "toy-reg") == []
    assert run_job(service, job_id, "w2", sandbox=FakeSandbox(perfect)) == "scored"
    assert job_row(service, job_id).attempts == 2


def _bwrap_or_skip() -> None:
    if shutil.which("bwrap") is None and os.environ.get("TRACKRECORD_REQUIRE_SERVICES") != "1":
        pytest.skip("the real sandbox needs bubblewrap (bwrap)")


# Code submissions through the service ---------------------------------------------------

GOOD_SCRIPT = b"import pandas as pd\nprint('hello')\n"


def code_file(tmp_path: Path, content: bytes = GOOD_SCRIPT, name: str = "main.py") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_submit_code_queues_a_job_and_hands_it_to_the_executor(
    service: Service, tmp_path: Path
) -> None:
    handed: list[int] = []

    class Recorder:
        def submit(self, job_id: int) -> None:
            handed.append(job_id)

        def close(self) -> None:
            pass

    me = service.local_user_id()
    view = J.submit_code(service, me, "toy-reg", code_file(tmp_path), note="v1",
                         executor=Recorder())  # fmt: skip
    assert handed == [view.id]
    assert (view.state, view.position, view.project_id, view.note) == ("queued", 1, "toy-reg", "v1")
    assert view.code_sha256 == Q.sha256_of(GOOD_SCRIPT) and view.origin == "self-scored"
    assert run_job(service, view.id, "w", sandbox=FakeSandbox(perfect)) == "scored"
    done = J.get_job(service, me, view.id)
    assert (done.state, done.submission_number, done.public_score) == ("scored", 1, 0.0)
    assert done.environment == ENV and done.position is None
    assert [j.id for j in J.list_jobs(service, me)] == [view.id]
    assert J.list_jobs(service, me, "toy-cls") == []


@pytest.mark.parametrize(
    ("name", "content", "error", "words"),
    [
        ("main.R", b"print(1)", InvalidSubmission, "a Python script"),
        ("main.py", b"def f(:\n", InvalidSubmission, "is not valid Python"),
        ("main.py", b"\xff\xfe", InvalidSubmission, "not UTF-8"),
        ("nb.ipynb", b'{"nbformat": 4}', InvalidSubmission, "not a Jupyter notebook"),
        ("main.py", b"#" * 3000, PayloadTooLarge, "max_code_kb"),
    ],
)
def test_code_that_cannot_run_is_refused_before_it_is_stored(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path, name: str, content: bytes,
    error: type[Exception], words: str,
) -> None:  # fmt: skip
    with Service(replace(settings, max_code_kb=2), catalog=catalog) as svc:
        with pytest.raises(error, match=words):
            J.submit_code(svc, svc.local_user_id(), "toy-reg", code_file(tmp_path, content, name))
        assert J.list_jobs(svc, svc.local_user_id()) == []


def test_a_syntax_error_names_the_line(service: Service, tmp_path: Path) -> None:
    with pytest.raises(InvalidSubmission) as caught:
        J.submit_code(service, service.local_user_id(), "toy-reg",
                      code_file(tmp_path, b"x = 1\ny = (\n"))  # fmt: skip
    assert caught.value.problems[0].line == 2 and caught.value.problems[0].file == "main.py"


def test_jobs_in_flight_count_against_the_limit_and_todays_quota(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    code = code_file(tmp_path)
    with Service(replace(settings, jobs_per_user=2), catalog=catalog) as svc:
        me = svc.local_user_id()
        J.submit_code(svc, me, "toy-reg", code)
        second = J.submit_code(svc, me, "toy-cls", code)
        with pytest.raises(QuotaExceeded, match="jobs_per_user"):
            J.submit_code(svc, me, "toy-reg", code)
        assert J.cancel_job(svc, me, second.id).state == "cancelled"
        with pytest.raises(Conflict, match="cancelled"):
            J.cancel_job(svc, me, second.id)
        J.submit_code(svc, me, "toy-reg", code)  # the cancelled one freed its place
    # toy-reg allows 5 a day: 3 scored files + 2 jobs in flight leave none.
    with Service(replace(settings, jobs_per_user=10), catalog=catalog) as svc:
        me = svc.local_user_id()
        for offset in (1.0, 2.0, 3.0):
            svc.submit(me, "toy-reg", regression_file(tmp_path / f"s{offset}.csv",
                                                      svc.bundle("toy-reg"), offset))  # fmt: skip
        with pytest.raises(QuotaExceeded, match="in flight"):
            J.submit_code(svc, me, "toy-reg", code)
        assert len(J.list_jobs(svc, me, "toy-reg")) == 2


def test_another_learners_job_does_not_exist_for_you(service: Service, tmp_path: Path) -> None:
    view = J.submit_code(service, service.local_user_id(), "toy-reg", code_file(tmp_path))
    with service.session(write_lock=True) as s:
        bob = User(username="bob", role="learner")
        s.add(bob)
        s.flush()
        bob_id = bob.id
    for call in (J.get_job, J.cancel_job):
        with pytest.raises(NotFound):
            call(service, bob_id, view.id)
    assert J.list_jobs(service, bob_id) == []
    assert J.get_job(service, service.local_user_id(), view.id).state == "queued"


def test_a_hosts_challenge_accepts_code_only_once_the_host_turns_it_on(
    service: Service, tmp_path: Path
) -> None:
    write_toy_bundle(tmp_path / "hosted", Spec(id="class-reg"))
    service.add_challenge(tmp_path / "hosted" / "class-reg")
    me, code = service.local_user_id(), code_file(tmp_path)
    with pytest.raises(Conflict, match="does not accept code"):
        J.submit_code(service, me, "class-reg", code)
    J.set_accepts_code(service, "class-reg", True)
    assert J.submit_code(service, me, "class-reg", code).state == "queued"
    J.set_accepts_code(service, "toy-reg", False)  # a built-in one can be turned off too
    with pytest.raises(Conflict):
        J.submit_code(service, me, "toy-reg", code)


def test_a_closed_challenge_fails_the_job_with_the_reason(service: Service, tmp_path: Path) -> None:
    """The deadline passed while the job waited: it is not scored, and says why."""
    view = J.submit_code(service, service.local_user_id(), "toy-reg", code_file(tmp_path))
    with service.session(write_lock=True) as s:
        service.challenge_row(s, "toy-reg").deadline = service.now()
    assert run_job(service, view.id, "w", sandbox=FakeSandbox(perfect)) == "failed"
    done = J.get_job(service, service.local_user_id(), view.id)
    assert done.failure == "refused" and "closed for submissions" in (done.reason or "")


def test_a_hosted_servers_job_is_reproduced_in_the_credential(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    with Service(replace(settings, hosted=True), catalog=catalog) as svc:
        me = svc.local_user_id()
        view = J.submit_code(svc, me, "toy-reg", code_file(tmp_path))
        assert view.origin == "reproduced"
        assert run_job(svc, view.id, "w", sandbox=FakeSandbox(perfect)) == "scored"
        svc.submit(me, "toy-reg", regression_file(tmp_path / "up.csv", svc.bundle("toy-reg")))
        issued = svc.credential(me, "toy-reg", number=1)
        uploaded = svc.credential(me, "toy-reg", number=2)
    assert issued.origin == "reproduced" and uploaded.origin == "host-verified"
    evidence = issued.credential["evidence"]
    assert [e["genre"] for e in evidence] == ["submission-file", "code"]
    assert Q.sha256_of(GOOD_SCRIPT) in evidence[1]["description"]
    assert evidence[1]["narrative"] == "Environment: python 3.11.0, numpy 1.0"
    assert "(reproduced)" in issued.credential["name"]
    assert [e["genre"] for e in uploaded.credential["evidence"]] == ["submission-file"]


def test_on_the_personal_install_a_job_stays_self_scored(service: Service, tmp_path: Path) -> None:
    me = service.local_user_id()
    view = J.submit_code(service, me, "toy-reg", code_file(tmp_path))
    assert run_job(service, view.id, "w", sandbox=FakeSandbox(perfect)) == "scored"
    issued = service.credential(me, "toy-reg", number=1)
    assert issued.origin == "self-scored"
    assert [e["genre"] for e in issued.credential["evidence"]] == ["submission-file"]


# The local executor (a process pool) ------------------------------------------------------


def pool_service(settings: Settings) -> Service:
    """Each pool process's Service: the toy catalog named in settings.extra (picklable)."""
    from trackrecord.bundle import open_bundle

    bundles = [open_bundle(Path(p)) for p in settings.extra["bundles"]]
    return Service(settings, catalog=FakeCatalog(bundles), migrate=False)


def die_once(input_dir: Path, out: Path) -> None:
    """The first run's process dies (killed, out of memory); the next one writes a file."""
    marker = Path(os.environ["TRACKRECORD_HOME"]) / "died-once"
    if not marker.exists():
        marker.touch()
        os._exit(137)
    perfect(input_dir, out)


def wait_for(svc: Service, ids: list[int], seconds: float = 180) -> list[str]:
    """The jobs' states once all are finished (a bound for a stuck test, not a timing)."""
    import time

    end = time.monotonic() + seconds
    while True:
        with svc.session() as s:
            states = [s.get(Job, i).state for i in ids]  # type: ignore[union-attr]
        if all(state in Q.TERMINAL for state in states) or time.monotonic() > end:
            return states
        time.sleep(0.2)


def test_the_local_pool_runs_jobs_and_takes_queued_ones_left_by_a_restart(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    from trackrecord.jobs.local import LocalExecutor

    roots = [str(b.root) for b in bundles.values()]
    pool_settings = replace(
        settings, job_lease_seconds=3, jobs_per_user=3, extra={"bundles": roots}
    )
    with Service(pool_settings, catalog=catalog) as svc:
        me = svc.local_user_id()
        left = [J.submit_code(svc, me, "toy-reg", code_file(tmp_path)).id for _ in range(2)]
        executor = LocalExecutor(pool_settings, workers=2, factory=pool_service,
                                 sandbox=FakeSandbox(perfect))  # fmt: skip
        try:
            new = J.submit_code(svc, me, "toy-reg", code_file(tmp_path), executor=executor)
            ids = [*left, new.id]
            states = wait_for(svc, ids)
        finally:
            executor.close()
        workers = {J.get_job(svc, me, i).attempts for i in ids}
        with svc.session() as s:
            names = {s.get(Job, i).worker.split(":")[0] for i in ids}  # type: ignore[union-attr]
    assert states == ["scored", "scored", "scored"]
    assert workers == {1} and all(n.startswith("local-") for n in names)


def test_a_pool_process_that_dies_mid_job_loses_no_job(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    from trackrecord.jobs.local import LocalExecutor

    roots = [str(b.root) for b in bundles.values()]
    pool_settings = replace(settings, job_lease_seconds=2, extra={"bundles": roots})
    with Service(pool_settings, catalog=catalog) as svc:
        me = svc.local_user_id()
        executor = LocalExecutor(pool_settings, workers=1, factory=pool_service,
                                 sandbox=FakeSandbox(die_once))  # fmt: skip
        try:
            job = J.submit_code(svc, me, "toy-reg", code_file(tmp_path), executor=executor)
            [state] = wait_for(svc, [job.id])
        finally:
            executor.close()
        done = J.get_job(svc, me, job.id)
    assert (state, done.attempts) == ("scored", 2)  # the lease expired, the job ran again


# The real sandbox ---------------------------------------------------------------------------

MEAN_SCRIPT = b"""import os
import pandas as pd

train = pd.read_csv(os.path.join(os.environ["TRACKRECORD_INPUT"], "train.csv"))
test = pd.read_csv("input/test.csv")
out = pd.DataFrame({"id": test["id"], "y": train["y"].mean()})
out.to_csv(os.path.join(os.environ["TRACKRECORD_OUTPUT"], "submission.csv"), index=False)
print("wrote", len(out), "rows")
"""


def real_sandbox_or_skip() -> None:
    from trackrecord.jobs.sandbox import unavailable

    reason = unavailable()
    if reason is not None:
        if os.environ.get("TRACKRECORD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"TRACKRECORD_REQUIRE_SERVICES=1 but the sandbox cannot run: {reason}")
        pytest.skip(f"the real sandbox cannot run here: {reason}")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_job_runs_in_the_real_sandbox_and_the_answer_key_stays_out_of_reach(
    service: Service, tmp_path: Path
) -> None:
    real_sandbox_or_skip()
    me = service.local_user_id()
    job = J.submit_code(service, me, "toy-reg", code_file(tmp_path, MEAN_SCRIPT))
    assert run_job(service, job.id, "real") == "scored"
    done = J.get_job(service, me, job.id)
    assert done.submission_number == 1 and done.public_score is not None
    assert done.environment is not None and done.environment["python"]
    assert "pandas" in done.environment and done.cpu_seconds is not None
    # The answer key's path, as the runner's process sees it: not there for the code.
    key = service.bundle("toy-reg").solution_path
    peek = f"print(open({str(key)!r}).read())\n".encode()
    job = J.submit_code(service, me, "toy-reg", code_file(tmp_path, peek, "peek.py"))
    assert run_job(service, job.id, "real") == "failed"
    failed = J.get_job(service, me, job.id)
    assert failed.failure == "crashed" and "No such file or directory" in (failed.reason or "")
    assert str(SECRET_BASE) not in (failed.stderr_tail or "")


def test_a_runner_stuck_past_its_budget_stops_renewing_the_lease(service: Service) -> None:
    """A run that hangs outside the sandbox (its wall limit cannot stop that) lets its
    lease run out once the budget is spent; the reaper then takes the job back."""
    from trackrecord.jobs.runner import Heartbeat

    job_id = queue_job(service)
    with service.session(write_lock=True) as s:
        assert Q.claim(s, job_id, "w", 30, service.now())
    moments = iter([0.0, 10.0, 101.0])
    beat = Heartbeat(service, job_id, "w", 30, budget=100, clock=lambda: next(moments))
    assert beat.beat() and not beat.lost.is_set()
    before = job_row(service, job_id).lease_expires_at
    assert not beat.beat() and beat.lost.is_set()
    assert job_row(service, job_id).lease_expires_at == before  # not renewed
