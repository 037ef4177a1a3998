"""A client for a trackrecord server's JSON API (`--server URL`, `tr.submit(..., server=)`).

`login()` exchanges a username and password for an API token and stores it in
HOME/credentials.json (mode 0600), keyed by server URL; later calls find it there. Server
errors come back as the same typed exceptions the server raised, with their problems.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from trackrecord import errors
from trackrecord.errors import AuthenticationRequired, Problem, TrackrecordError

if TYPE_CHECKING:
    from trackrecord.service.types import SubmitResult

CREDENTIALS = "credentials.json"
API = "/api/v1"
TIMEOUT = httpx.Timeout(120.0, connect=10.0)


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

    def catalog(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/catalog")["projects"]
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


def submit_result(answer: Mapping[str, Any]) -> SubmitResult:
    """A server's submit answer (the JSON of a SubmitResult) as the dataclass again, so the
    CLI and the notebook render it with the same words as a local result."""
    from trackrecord.service.types import FieldPlace, MedalProgress, SubmissionView, SubmitResult

    sub = dict(answer["submission"])
    sub["created_at"] = datetime.fromisoformat(str(sub["created_at"]))
    sub["problems"] = tuple(sub.get("problems") or ())
    place = answer.get("place")
    fields = {k: answer[k] for k in SUBMIT_FIELDS if k in answer}
    return SubmitResult(
        **fields,
        submission=SubmissionView(**sub),
        place=None if place is None else FieldPlace(**{**place, **_tuples(place)}),
        medal_progress=MedalProgress(**answer["medal_progress"]),
    )


SUBMIT_FIELDS = (
    "project_id", "metric", "greater_is_better", "public_score", "previous_best", "best",
    "change", "improved", "per_day", "left_today", "practice", "finalized_medal",
)  # fmt: skip


def _tuples(place: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(place.get(k) or ()) for k in ("ahead_of", "behind")}


def remote_submit_rows(answer: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Rows for a server's submit answer: the local wording when the answer has every
    field (a server of this version), else its main numbers."""
    from trackrecord.service.render import REMOTE_SUBMIT_KEYS, remote_rows, submit_rows

    try:
        return submit_rows(submit_result(answer))
    except (KeyError, TypeError, ValueError):
        return remote_rows(answer, REMOTE_SUBMIT_KEYS)
