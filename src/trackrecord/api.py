"""The notebook API: `import trackrecord as tr`.

Each function builds (once per data directory) the same `Service` the CLI uses and calls one
use case, so a notebook and the command line always agree. Results print as readable
summaries and render as HTML tables in Jupyter.

With `server=URL` the same calls go through a hosted server's JSON API (after
`trackrecord login --server URL` stored a token): `load`, `submit` (also `code=`),
`code_jobs`, `submissions`, `finalize`, `results` and `status`, printed in the same words
(scores from a server carry the boards' precision: 6 significant digits).

Every estimate made before finalizing compares the public score with the public lines;
`finalize` asks for `confirm=True` (finalizing is once); afterwards `results` shows the
private lines, the standing on the private board and the reference code.
"""

from __future__ import annotations

import html
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from trackrecord.errors import ConfigError, InvalidSubmission
from trackrecord.settings import Settings, load_settings

if TYPE_CHECKING:
    from trackrecord.client import Client
    from trackrecord.service import FinalizeResult, Service, SubmitResult
    from trackrecord.service.jobs import JobView
    from trackrecord.service.types import ScoreLike

_SERVICES: dict[tuple[str, str], Service] = {}


def _service(server: str | None = None) -> Service:
    """The local Service for the current settings (cached)."""
    if server is not None:
        raise ConfigError(
            f"this call is not available through a server ({server}); the server's profile "
            "page shows it, or leave out server= to work locally"
        )
    settings = load_settings()
    key = (str(settings.home), settings.db_url)
    if key not in _SERVICES:
        _SERVICES[key] = _new_service(settings)
    return _SERVICES[key]


def _new_service(settings: Settings) -> Service:
    """Build the Service for a data directory (tests replace this to inject a catalog)."""
    from trackrecord.service import Service

    return Service(settings)


class Summary:
    """A result that prints as aligned text and renders as an HTML table in Jupyter.

    The underlying result's fields are available as attributes (`r.public_score`)."""

    def __init__(
        self, title: str, rows: Sequence[tuple[str, str]], result: Any, text: str | None = None
    ) -> None:
        self.title = title
        self.rows = list(rows)
        self.result = result
        self.text = text  # shown whole below the rows (the reference code)

    def __getattr__(self, name: str) -> Any:
        if name == "result":  # not set yet (e.g. during unpickling)
            raise AttributeError(name)
        if isinstance(self.result, dict) and name in self.result:  # a server's answer
            return self.result[name]
        return getattr(self.result, name)

    def __repr__(self) -> str:
        width = max((len(k) for k, _ in self.rows), default=0)
        lines = [self.title, *(f"  {k.ljust(width)}  {v}" for k, v in self.rows)]
        if self.text:
            lines += ["", self.text.rstrip("\n")]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self.rows
        )
        table = f"<table><caption>{html.escape(self.title)}</caption>{body}</table>"
        return table + (f"<pre>{html.escape(self.text)}</pre>" if self.text else "")


def _remote(server: str) -> Client:
    from trackrecord.client import connect

    return connect(server, home=load_settings().home)


def load(project_id: str, *, server: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The public (train, test) tables of a project (from a server: its data zip)."""
    if server is None:
        return _service(server).load(project_id)
    with tempfile.TemporaryDirectory(prefix="trackrecord-") as tmp, _remote(server) as client:
        archive = client.download(project_id, Path(tmp) / "data.zip")
        with zipfile.ZipFile(archive) as zf:
            names = {Path(n).name: n for n in zf.namelist()}
            if "train.csv" not in names or "test.csv" not in names:
                raise InvalidSubmission(
                    f"the data of {project_id} on {server} has no train.csv and test.csv"
                )
            with zf.open(names["train.csv"]) as a, zf.open(names["test.csv"]) as b:
                return pd.read_csv(a), pd.read_csv(b)


def _frame_file(frame: pd.DataFrame, folder: Path) -> Path:
    path = folder / "dataframe.csv"
    frame.to_csv(path, index=False)
    return path


def submit(
    project_id: str,
    submission: pd.DataFrame | str | Path | None = None,
    *,
    code: str | Path | None = None,
    note: str | None = None,
    server: str | None = None,
    wait: bool = True,
    timeout: float | None = None,
) -> Summary:
    """Score and record a submission (a DataFrame or a CSV/Parquet path), like the CLI.

    A DataFrame is saved as CSV first, so what is stored is a file like any other; problems
    then name lines of that CSV (line 2 is the DataFrame's first row).

    With `code=PATH` (a script or a notebook) instead, the code is run in the sandbox on
    the public data and its `output/submission.csv` is scored (docs/jobs.md). `wait=True`
    (default) returns once the job has ended: scored, or failed with its reason and the last
    lines of stderr; `wait=False` returns the queued job (follow it with `code_jobs()`).
    """
    from trackrecord.service.render import submit_rows

    if code is not None or submission is None:
        if submission is not None or code is None:
            raise InvalidSubmission("submit() takes a submission or code=PATH, one of the two")
        return _submit_code(project_id, Path(code), note, server, wait, timeout)
    if server is not None:
        return _submit_remote(project_id, submission, note, server)
    svc = _service(server)
    user = svc.local_user_id()
    if isinstance(submission, pd.DataFrame):
        with tempfile.TemporaryDirectory(prefix="trackrecord-") as tmp:
            result: SubmitResult = svc.submit(
                user, project_id, _frame_file(submission, Path(tmp)), note=note
            )
    elif isinstance(submission, str | Path):
        result = svc.submit(user, project_id, Path(submission), note=note)
    else:
        raise InvalidSubmission(
            f"submit() takes a DataFrame or a file path, not {type(submission).__name__}"
        )
    return Summary(f"Submission to {project_id}", submit_rows(result), result)


def _submit_remote(
    project_id: str, submission: pd.DataFrame | str | Path, note: str | None, server: str
) -> Summary:
    from trackrecord.client import submit_to_server

    home = load_settings().home
    with tempfile.TemporaryDirectory(prefix="trackrecord-") as tmp:
        path = (
            _frame_file(submission, Path(tmp))
            if isinstance(submission, pd.DataFrame)
            else Path(submission)
        )
        answer = submit_to_server(server, project_id, path, home=home, note=note)
    from trackrecord.client import remote_submit_rows

    return Summary(f"Submission to {project_id} on {server}", remote_submit_rows(answer), answer)


def _submit_code(
    project_id: str,
    code: Path,
    note: str | None,
    server: str | None,
    wait: bool,
    timeout: float | None,
) -> Summary:
    from trackrecord.client import decode, submit_code_to_server
    from trackrecord.service.jobs import JobView

    if server is not None:
        home = load_settings().home
        answer = submit_code_to_server(
            server, project_id, code, home=home, note=note, wait=wait, timeout=timeout
        )
        job = decode(JobView, answer)
        title = f"{code.name} on {project_id} on {server}"
        return Summary(title, job_rows(job), answer, text=_stderr(job))
    from trackrecord.jobs.local import spawn_detached
    from trackrecord.jobs.runner import run_job
    from trackrecord.service import jobs as service_jobs

    svc = _service(server)
    user = svc.local_user_id()
    job = service_jobs.submit_code(svc, user, project_id, code, note=note)
    if wait:  # run here, in this process: the sandbox is a child process of the kernel
        run_job(svc, job.id, "notebook")
    else:
        spawn_detached(svc.settings, job.id)
    job = service_jobs.get_job(svc, user, job.id)
    return Summary(f"{code.name} on {project_id}", job_rows(job), job, text=_stderr(job))


def _stderr(job: JobView) -> str | None:
    """A failed job's last lines of stderr, shown whole below its rows."""
    return (
        f"stderr (last lines):\n{job.stderr_tail}"
        if job.state == "failed" and job.stderr_tail
        else None
    )


def job_rows(job: JobView) -> list[tuple[str, str]]:
    """A job in the words the CLI and the pages use: its state and what it came to."""
    from trackrecord.service.render import num, ordinal

    rows = [("job", str(job.id)), ("project", job.project_id), ("code", job.code_filename)]
    rows.append(("state", job.state))
    if job.state == "queued" and job.position:
        rows.append(("queue", f"{ordinal(job.position)} in the queue"))
    if job.state == "scored":
        number = f" (submission #{job.submission_number})" if job.submission_number else ""
        rows.append(("public score", num(job.public_score) + number))
        rows.append(("origin", job.origin))
    if job.state == "failed":
        rows.append(("failure", f"{job.failure or 'failed'}: {job.reason or ''}".rstrip(": ")))
    if job.wall_seconds is not None:
        rows.append(("ran", f"{job.wall_seconds:.3g} s"))
    rows.append(("code sha256", job.code_sha256))
    return rows


JOB_COLUMNS = [
    "id",
    "project_id",
    "created_at",
    "code_filename",
    "state",
    "position",
    "failure",
    "reason",
    "submission_number",
    "public_score",
    "origin",
    "stderr_tail",
]


def code_jobs(project_id: str | None = None, *, server: str | None = None) -> pd.DataFrame:
    """Your code submissions (all, or one project's), newest first, as a table: `state`
    is queued, running, scored, failed or cancelled; `position` the place in the queue
    while queued; `failure`, `reason` and `stderr_tail` say why a job failed;
    `public_score` and `submission_number` what a scored one came to."""
    if server is not None:
        with _remote(server) as client:
            rows = client.jobs(project_id)
        return pd.DataFrame([{c: r.get(c) for c in JOB_COLUMNS} for r in rows], columns=JOB_COLUMNS)
    from trackrecord.service.jobs import list_jobs

    svc = _service(server)
    views = list_jobs(svc, svc.local_user_id(), project_id)
    return pd.DataFrame(
        [{c: getattr(v, c) for c in JOB_COLUMNS} for v in views], columns=JOB_COLUMNS
    )


SUBMISSION_COLUMNS = [
    "number",
    "id",
    "created_at",
    "filename",
    "status",
    "practice",
    "public_score",
    "private_score",
    "picked",
    "problems",
]


def submissions(project_id: str, *, server: str | None = None) -> pd.DataFrame:
    """Your submissions to a project, oldest first, as a table: `number` is the #
    within the project (what `finalize` picks take), `practice` marks those sent after
    finalizing, `problems` says why an invalid file was not scored."""
    if server is not None:
        with _remote(server) as client:
            rows = client.submissions(project_id)
        return pd.DataFrame(
            [{c: r.get(c) for c in SUBMISSION_COLUMNS} for r in rows], columns=SUBMISSION_COLUMNS
        )
    svc = _service(server)
    views = svc.submissions(svc.local_user_id(), project_id)
    return pd.DataFrame(
        [{c: getattr(v, c) for c in SUBMISSION_COLUMNS} for v in views], columns=SUBMISSION_COLUMNS
    )


def _confirm_hint(project_id: str, picks: Sequence[int]) -> str:
    args = f'"{project_id}"' + (f", picks={list(picks)}" if picks else "")
    return f"Nothing changed yet: tr.finalize({args}, confirm=True) finalizes, once."


def finalize(
    project_id: str,
    picks: Sequence[int] = (),
    *,
    confirm: bool = False,
    server: str | None = None,
) -> Summary:
    """Finalize a project, once: the private score and the medal are final.

    `picks` are submission numbers (the # of `submissions()`; default: the selected picks,
    else your best public ones). Without `confirm=True` nothing happens: the summary says
    what would be judged. With it, the result shows the private lines, your place on the
    private board and the reference pipeline's code.
    """
    if server is not None:
        return _finalize_remote(project_id, picks, confirm, server)
    from trackrecord.service.render import finalize_rows, preview_rows

    svc = _service(server)
    user = svc.local_user_id()
    if not confirm:
        preview = svc.finalize_preview(user, project_id, by_number=picks)
        title = f"Finalize {project_id}? {_confirm_hint(project_id, picks)}"
        return Summary(title, preview_rows(preview), preview)
    result: FinalizeResult = svc.finalize(user, project_id, by_number=picks)
    return Summary(
        f"Finalized {project_id}", finalize_rows(result), result, text=result.reference_code
    )


def _finalize_remote(project_id: str, picks: Sequence[int], confirm: bool, server: str) -> Summary:
    """The same rows as locally, from the server's answer (kept as `.result`, a dict)."""
    from trackrecord.client import decode
    from trackrecord.service.render import finalize_rows, preview_rows
    from trackrecord.service.types import FinalizePreview, FinalizeResult

    with _remote(server) as client:
        if not confirm:
            preview = client.finalize_preview(project_id, picks)
            title = f"Finalize {project_id} on {server}? {_confirm_hint(project_id, picks)}"
            return Summary(title, preview_rows(decode(FinalizePreview, preview)), preview)
        answer = client.finalize(project_id, numbers=picks)
    rows = finalize_rows(decode(FinalizeResult, answer))
    title = f"Finalized {project_id} on {server}"
    return Summary(title, rows, answer, text=answer.get("reference_code"))


def results(project_id: str, *, server: str | None = None) -> Summary:
    """A finalized project's result: private score and medal, the private lines, your place
    on the private board, and the reference pipeline's code (`.reference_code`)."""
    from trackrecord.service.render import finalize_rows

    if server is not None:
        from trackrecord.client import decode
        from trackrecord.service.types import FinalizeResult

        with _remote(server) as client:
            answer = client.results(project_id)
        rows = finalize_rows(decode(FinalizeResult, answer))
        return Summary(f"{project_id} on {server}", rows, answer, text=answer.get("reference_code"))
    svc = _service(server)
    result: FinalizeResult = svc.results(svc.local_user_id(), project_id)
    return Summary(project_id, finalize_rows(result), result, text=result.reference_code)


def status(*, server: str | None = None) -> Summary:
    """Projects started and finalized, medals, streak."""
    from trackrecord.client import RemoteLearner
    from trackrecord.service.render import num, status_rows

    if server is None:
        svc = _service()
        report = svc.status(svc.local_user_id())
    else:
        with _remote(server) as client:
            report, _ = RemoteLearner(client).status()
    rows = status_rows(report) + [
        (
            p.id,
            f"{p.state}, best public {num(p.best_public)}, medal {p.medal or '-'}"
            + (f", {p.practice} practice" if p.practice else ""),
        )
        for p in report.projects
    ]
    title = "Your track record" + ("" if server is None else f" on {server}")
    return Summary(title, rows, report)


def score(bundle: str | Path, submission: pd.DataFrame | str | Path) -> ScoreLike:
    """Score a file or DataFrame against a bundle folder or zip you hold (hosts checking
    their own bundle). Nothing is recorded; learners use `submit`."""
    from trackrecord.bundle import open_bundle
    from trackrecord.scoring import score as score_file
    from trackrecord.scoring import score_frame

    opened = open_bundle(bundle)
    if isinstance(submission, pd.DataFrame):
        result: ScoreLike = score_frame(opened, submission)
        return result
    return score_file(opened, Path(submission))
