"""A client for a trackrecord server's JSON API (`--server URL`, `tr.submit(..., server=)`).

`login()` exchanges a username and password for an API token and stores it in
HOME/credentials.json (mode 0600), keyed by server URL; later calls find it there. Server
errors come back as the same typed exceptions the server raised, with their problems.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Any, TypeVar, Union, cast, get_args, get_origin, get_type_hints

import httpx

from trackrecord import errors
from trackrecord.errors import AuthenticationRequired, Problem, TrackrecordError

if TYPE_CHECKING:
    from trackrecord.mastery.types import SkillEstimate
    from trackrecord.service import Service
    from trackrecord.service.jobs import JobView
    from trackrecord.service.learning import NextReport
    from trackrecord.service.path import PathEntry
    from trackrecord.service.types import (
        FinalizePreview,
        FinalizeResult,
        ProjectReport,
        StatusReport,
        SubmissionView,
        SubmitResult,
    )

CREDENTIALS = "credentials.json"
API = "/api/v1"
TIMEOUT = httpx.Timeout(120.0, connect=10.0)
# A job in one of these states never changes (jobs.queue.TERMINAL, without importing the
# jobs core into the client).
JOB_ENDED = frozenset({"scored", "failed", "cancelled"})
T = TypeVar("T")


def normalize(server: str) -> str:
    """`host:port` or a URL, without trailing slash; http:// only for loopback addresses."""
    url = server.strip().rstrip("/")
    if "://" not in url:
        local = url.startswith(("127.0.0.1", "localhost", "[::1]"))
        url = ("http://" if local else "https://") + url
    return url


def credentials_path(home: Path) -> Path:
    return home / CREDENTIALS


def _read_credentials(home: Path) -> dict[str, Any]:
    path = credentials_path(home)
    if not path.is_file():
        return {"servers": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    return (
        data
        if isinstance(data, dict) and isinstance(data.get("servers"), dict)
        else {"servers": {}}
    )


def store_token(home: Path, server: str, token: str, username: str) -> Path:
    """Write the token for `server` into HOME/credentials.json, readable by the owner only."""
    home.mkdir(parents=True, exist_ok=True)
    data = _read_credentials(home)
    data["servers"][normalize(server)] = {"token": token, "username": username}
    path = credentials_path(home)
    tmp = path.with_name(f".{CREDENTIALS}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def stored_token(home: Path, server: str) -> str | None:
    entry = _read_credentials(home)["servers"].get(normalize(server))
    token = entry.get("token") if isinstance(entry, dict) else None
    return token if isinstance(token, str) else None


def _error_class(code: str) -> type[TrackrecordError]:
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, TrackrecordError) and value.code == code:
            return value
    return TrackrecordError


def raise_for_error(response: httpx.Response) -> None:
    """Turn an error response in the API's shape back into a typed exception."""
    if response.is_success:
        return
    try:
        body = response.json()["error"]
        cls = _error_class(str(body.get("code", "")))
        problems = [Problem(**p) for p in body.get("problems", [])]
        exc = cls(str(body.get("message", "")), problems=problems)
    except (ValueError, KeyError, TypeError):
        exc = TrackrecordError(f"the server answered {response.status_code}: {response.text[:200]}")
    exc.status = response.status_code
    raise exc


class Client:
    """Calls to one server with one token (or none, for a personal server)."""

    def __init__(
        self, server: str, token: str | None = None, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.server = normalize(server)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(
            base_url=self.server + API, headers=headers, timeout=TIMEOUT, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise TrackrecordError(f"cannot reach {self.server}: {exc}") from None
        raise_for_error(response)
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.content

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/me")
        return result

    def catalog(
        self, *, task: str | None = None, skill: str | None = None, level: int | None = None
    ) -> list[dict[str, Any]]:
        """The projects with your progress and your status on the path (PathEntry)."""
        params = {k: v for k, v in (("task", task), ("skill", skill), ("level", level)) if v}
        result: list[dict[str, Any]] = self._call("GET", "/catalog", params=params)["projects"]
        return result

    def status(self) -> dict[str, Any]:
        """Your track record (StatusReport) with your skill estimates under "skills"."""
        result: dict[str, Any] = self._call("GET", "/status")
        return result

    def project_status(self, project_id: str) -> dict[str, Any]:
        """One project for you (ProjectReport): estimate, or the result once finalized."""
        result: dict[str, Any] = self._call("GET", f"/challenges/{project_id}/status")
        return result

    def next(self, k: int = 5) -> dict[str, Any]:
        """The projects to do next, each with its reason (NextReport)."""
        result: dict[str, Any] = self._call("GET", "/next", params={"k": k})
        return result

    def challenge(self, project_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/challenges/{project_id}")
        return result

    def submit(self, project_id: str, file: Path, note: str | None = None) -> dict[str, Any]:
        """Upload a submission file; returns the server's SubmitResult as a dict."""
        data: Mapping[str, str] = {"note": note} if note else {}
        with file.open("rb") as fh:
            result: dict[str, Any] = self._call(
                "POST",
                f"/challenges/{project_id}/submissions",
                files={"file": (file.name, fh)},
                data=data,
            )
        return result

    def submit_code(self, project_id: str, code: Path, note: str | None = None) -> dict[str, Any]:
        """Send a script or notebook to be run in the server's sandbox and scored; returns
        the queued job (the server's JobView as a dict)."""
        data: Mapping[str, str] = {"note": note} if note else {}
        with code.open("rb") as fh:
            result: dict[str, Any] = self._call(
                "POST", f"/challenges/{project_id}/jobs", files={"code": (code.name, fh)}, data=data
            )
        return result

    def jobs(self, project_id: str | None = None) -> list[dict[str, Any]]:
        """Your jobs (all, or one challenge's), newest first."""
        params = {"project": project_id} if project_id else {}
        result: list[dict[str, Any]] = self._call("GET", "/jobs", params=params)["jobs"]
        return result

    def job(self, job_id: int) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/jobs/{job_id}")
        return result

    def cancel_job(self, job_id: int) -> dict[str, Any]:
        """Cancel a queued job of yours (Conflict once it runs or has ended)."""
        result: dict[str, Any] = self._call("POST", f"/jobs/{job_id}/cancel")
        return result

    def submissions(self, project_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", f"/challenges/{project_id}/submissions")[
            "submissions"
        ]
        return result

    def leaderboard(self, project_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/challenges/{project_id}/leaderboard")
        return result

    def finalize(
        self, project_id: str, picks: Sequence[int] = (), *, numbers: Sequence[int] = ()
    ) -> dict[str, Any]:
        """Finalize: `picks` are submission ids, `numbers` submission numbers (#)."""
        body = {"picks": list(picks), "numbers": list(numbers)}
        result: dict[str, Any] = self._call("POST", f"/challenges/{project_id}/finalize", json=body)
        return result

    def finalize_preview(self, project_id: str, numbers: Sequence[int] = ()) -> dict[str, Any]:
        """What finalizing would judge (the server's FinalizePreview); changes nothing."""
        result: dict[str, Any] = self._call(
            "GET", f"/challenges/{project_id}/finalize", params={"number": list(numbers)}
        )
        return result

    def results(self, project_id: str) -> dict[str, Any]:
        """A finalized challenge's revealed result (private lines, standings, code)."""
        result: dict[str, Any] = self._call("GET", f"/challenges/{project_id}/results")
        return result

    def download(self, project_id: str, dest: Path) -> Path:
        """Save the project's data zip to `dest` (a file path)."""
        content = self._call("GET", f"/challenges/{project_id}/download")
        dest.write_bytes(content)
        return dest

    def tokens(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/tokens")["tokens"]
        return result

    def create_token(self, username: str, password: str, name: str = "cli") -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", "/tokens", json={"username": username, "password": password, "name": name}
        )
        return result

    def revoke_token(self, token_id: int) -> None:
        self._call("DELETE", f"/tokens/{token_id}")


def login(
    server: str,
    username: str,
    password: str,
    *,
    home: Path,
    name: str = "cli",
    transport: httpx.BaseTransport | None = None,
) -> Path:
    """Get a token for this user and store it; returns the credentials file's path."""
    with Client(server, transport=transport) as client:
        answer = client.create_token(username, password, name)
    return store_token(home, server, str(answer["token"]), username)


def connect(server: str, *, home: Path, transport: httpx.BaseTransport | None = None) -> Client:
    """A client with the stored token for `server` (none stored: unauthenticated, which a
    personal server accepts and a hosted one refuses with a hint)."""
    return Client(server, stored_token(home, server), transport=transport)


def submit_to_server(
    server: str,
    project_id: str,
    file: Path,
    *,
    home: Path,
    note: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """What `trackrecord submit ID FILE --server URL` and `tr.submit(..., server=URL)` do."""
    with connect(server, home=home, transport=transport) as client:
        try:
            return client.submit(project_id, file, note)
        except AuthenticationRequired as exc:
            exc.message += f"; run `trackrecord login --server {normalize(server)}` first"
            raise


def wait_for_job(
    client: Client,
    job_id: int,
    *,
    timeout: float | None = None,
    interval: float = 1.0,
    on_change: Callable[[dict[str, Any]], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Ask for the job every `interval` seconds until it has ended (scored, failed or
    cancelled) or `timeout` seconds passed; returns the last answer, so a caller that timed
    out sees the job still queued or running. `on_change` hears each new state or queue
    position (progress for the CLI)."""
    deadline = None if timeout is None else clock() + timeout
    seen: tuple[object, object] | None = None
    while True:
        job = client.job(job_id)
        now = (job.get("state"), job.get("position"))
        if on_change is not None and now != seen:
            on_change(job)
        seen = now
        if job.get("state") in JOB_ENDED or (deadline is not None and clock() >= deadline):
            return job
        sleep(interval)


def submit_code_to_server(
    server: str,
    project_id: str,
    code: Path,
    *,
    home: Path,
    note: str | None = None,
    wait: bool = False,
    timeout: float | None = None,
    on_change: Callable[[dict[str, Any]], None] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """What `trackrecord submit ID --code FILE --server URL [--wait]` and
    `tr.submit(ID, code=PATH, server=URL)` do: queue the code; with `wait`, follow the job
    until it ends (see wait_for_job). Returns the job as the server's JobView dict."""
    with connect(server, home=home, transport=transport) as client:
        try:
            job = client.submit_code(project_id, code, note)
        except AuthenticationRequired as exc:
            exc.message += f"; run `trackrecord login --server {normalize(server)}` first"
            raise
        if not wait or job.get("state") in JOB_ENDED:
            return job
        return wait_for_job(client, int(job["id"]), timeout=timeout, on_change=on_change)


def decode(cls: type[T], data: Any) -> T:
    """A server's JSON answer as the dataclass `cls` again (nested dataclasses, tuples,
    optionals, datetimes), so every face renders it with the same code as a local result.
    Keys the dataclass does not know (a newer server) are ignored."""
    return cast(T, _decode(cls, data))


def _decode(kind: Any, data: Any) -> Any:
    if data is None:
        return None
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType):
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], data) if len(inner) == 1 else data
    if origin is tuple:
        return tuple(_decode(args[0] if args else Any, v) for v in data)
    if origin is list:
        return [_decode(args[0], v) for v in data]
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind) if f.init}
        return kind(**{k: _decode(hints[k], v) for k, v in data.items() if k in names})
    if kind is datetime:
        return datetime.fromisoformat(str(data))
    if kind is float and isinstance(data, int | float):
        return float(data)
    return data


def submit_result(answer: Mapping[str, Any]) -> SubmitResult:
    """A server's submit answer (the JSON of a SubmitResult) as the dataclass again, so the
    CLI and the notebook render it with the same words as a local result."""
    from trackrecord.service.types import SubmitResult

    return decode(SubmitResult, answer)


def remote_submit_rows(answer: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Rows for a server's submit answer: the local wording when the answer has every
    field (a server of this version), else its main numbers."""
    from trackrecord.service.render import REMOTE_SUBMIT_KEYS, remote_rows, submit_rows

    try:
        return submit_rows(submit_result(answer))
    except (KeyError, TypeError, ValueError):
        return remote_rows(answer, REMOTE_SUBMIT_KEYS)


# The learner's questions, asked here or of a server -------------------------------------


class LocalLearner:
    """The learner's use cases on the local data directory: the Service's own answers."""

    def __init__(self, svc: Service) -> None:
        self.svc = svc
        self.where = ""

    def _user(self) -> int:
        return self.svc.local_user_id()

    def catalog(
        self, *, task: str | None = None, skill: str | None = None, level: int | None = None
    ) -> list[PathEntry]:
        from trackrecord.service.path import path_catalog

        return path_catalog(self.svc, self._user(), task=task, skill=skill, level=level)

    def status(self) -> tuple[StatusReport, list[SkillEstimate]]:
        return self.svc.status(self._user()), self.svc.skills(self._user())

    def project_report(self, project_id: str) -> ProjectReport:
        return self.svc.project_report(self._user(), project_id)

    def results(self, project_id: str) -> FinalizeResult:
        return self.svc.results(self._user(), project_id)

    def submissions(self, project_id: str) -> list[SubmissionView]:
        return self.svc.submissions(self._user(), project_id)

    def finalize_preview(self, project_id: str, numbers: Sequence[int]) -> FinalizePreview:
        return self.svc.finalize_preview(self._user(), project_id, by_number=numbers)

    def finalize(self, project_id: str, numbers: Sequence[int]) -> FinalizeResult:
        return self.svc.finalize(self._user(), project_id, by_number=numbers)

    def next_projects(self, k: int) -> NextReport:
        return self.svc.next_projects(self._user(), k)

    def jobs(self, project_id: str | None = None) -> list[JobView]:
        from trackrecord.service.jobs import list_jobs

        return list_jobs(self.svc, self._user(), project_id)

    def job(self, job_id: int) -> JobView:
        from trackrecord.service.jobs import get_job

        return get_job(self.svc, self._user(), job_id)

    def cancel_job(self, job_id: int) -> JobView:
        from trackrecord.service.jobs import cancel_job

        return cancel_job(self.svc, self._user(), job_id)


class RemoteLearner:
    """The same use cases on a server through its JSON API, answered with the same
    dataclasses (decoded), so the CLI and the notebook render both with the same code."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.where = f" on {client.server}"

    def _ask(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except AuthenticationRequired as exc:
            exc.message += f"; run `trackrecord login --server {self.client.server}` first"
            raise

    def catalog(
        self, *, task: str | None = None, skill: str | None = None, level: int | None = None
    ) -> list[PathEntry]:
        from trackrecord.service.path import PathEntry

        rows = self._ask(lambda: self.client.catalog(task=task, skill=skill, level=level))
        return [decode(PathEntry, row) for row in rows]

    def status(self) -> tuple[StatusReport, list[SkillEstimate]]:
        from trackrecord.mastery.types import SkillEstimate
        from trackrecord.service.types import StatusReport

        answer = self._ask(self.client.status)
        skills = [decode(SkillEstimate, e) for e in answer.get("skills", ())]
        return decode(StatusReport, answer), skills

    def project_report(self, project_id: str) -> ProjectReport:
        from trackrecord.service.types import ProjectReport

        return decode(ProjectReport, self._ask(lambda: self.client.project_status(project_id)))

    def results(self, project_id: str) -> FinalizeResult:
        from trackrecord.service.types import FinalizeResult

        return decode(FinalizeResult, self._ask(lambda: self.client.results(project_id)))

    def submissions(self, project_id: str) -> list[SubmissionView]:
        from trackrecord.service.types import SubmissionView

        rows = self._ask(lambda: self.client.submissions(project_id))
        return [decode(SubmissionView, row) for row in rows]

    def finalize_preview(self, project_id: str, numbers: Sequence[int]) -> FinalizePreview:
        from trackrecord.service.types import FinalizePreview

        answer = self._ask(lambda: self.client.finalize_preview(project_id, numbers))
        return decode(FinalizePreview, answer)

    def finalize(self, project_id: str, numbers: Sequence[int]) -> FinalizeResult:
        from trackrecord.service.types import FinalizeResult

        answer = self._ask(lambda: self.client.finalize(project_id, numbers=numbers))
        return decode(FinalizeResult, answer)

    def next_projects(self, k: int) -> NextReport:
        from trackrecord.service.learning import NextReport

        return decode(NextReport, self._ask(lambda: self.client.next(k)))

    def jobs(self, project_id: str | None = None) -> list[JobView]:
        from trackrecord.service.jobs import JobView

        rows = self._ask(lambda: self.client.jobs(project_id))
        return [decode(JobView, row) for row in rows]

    def job(self, job_id: int) -> JobView:
        from trackrecord.service.jobs import JobView

        return decode(JobView, self._ask(lambda: self.client.job(job_id)))

    def cancel_job(self, job_id: int) -> JobView:
        from trackrecord.service.jobs import JobView

        return decode(JobView, self._ask(lambda: self.client.cancel_job(job_id)))


Learner = LocalLearner | RemoteLearner
