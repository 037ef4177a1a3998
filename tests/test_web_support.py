"""Fixtures and helpers shared by the web tests (imported by tests/test_web_*.py)."""

from __future__ import annotations

import dataclasses
import io
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from trackrecord.bundle import Bundle
from trackrecord.settings import Settings
from trackrecord.web import create_app

from .conftest import SECRET_BASE, FakeCatalog

INVITE = "letmein-2030"
PASSWORD = "correct horse"
LOCAL = "http://127.0.0.1"
# Public rows (even) are off by PUBLIC_OFF, private rows (odd) by PRIVATE_OFF: the two
# scores differ, so a private score showing up anywhere is detectable.
PUBLIC_OFF = 0.25
PRIVATE_OFF = 0.6180339


def hosted(settings: Settings, **changes: object) -> Settings:
    return dataclasses.replace(
        settings, hosted=True, invite_code=INVITE, secret_key="s" * 40, **changes
    )  # type: ignore[arg-type]


def client_for(
    settings: Settings, catalog: FakeCatalog, base_url: str = LOCAL, **kwargs: object
) -> TestClient:
    app = create_app(settings, catalog=catalog, **kwargs)  # type: ignore[arg-type]
    return TestClient(app, base_url=base_url, raise_server_exceptions=False)


@pytest.fixture
def personal(settings: Settings, catalog: FakeCatalog) -> Iterator[TestClient]:
    with client_for(settings, catalog) as c:
        yield c


@pytest.fixture
def server(settings: Settings, catalog: FakeCatalog) -> Iterator[TestClient]:
    """A hosted-mode app (invite code required)."""
    with client_for(hosted(settings), catalog, base_url="http://tr.example") as c:
        yield c


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {path}: {page.status_code} {page.text[:300]}"
    return found.group(1)


def signup(
    client: TestClient, username: str, password: str = PASSWORD, invite: str | None = INVITE
) -> None:
    token = csrf(client, "/signup")
    data = {"username": username, "password": password, "csrf_token": token}
    if invite:
        data["invite"] = invite
    response = client.post("/signup", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]


def signup_admin(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign up, then become admin as the operator would (`trackrecord users create NAME
    --role admin` or `users set-role`): signing up never makes an admin by itself."""
    from trackrecord.web.accounts import set_role

    signup(client, username, password)
    with client.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        set_role(s, username, "admin")


def api_token(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/tokens", json={"username": username, "password": password})
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def split_submission(
    path: Path, bundle: Bundle, public_off: float = PUBLIC_OFF, private_off: float = PRIVATE_OFF
) -> Path:
    """A valid rmse submission for toy-reg: public RMSE public_off, private private_off."""
    test = pd.read_csv(bundle.public_dir / "test.csv")
    ys = [SECRET_BASE + i + (public_off if i % 2 == 0 else private_off) for i in range(len(test))]
    pd.DataFrame({"id": test["id"], "y": ys}).to_csv(path, index=False)
    return path


def bad_submission(path: Path) -> Path:
    path.write_text("id,y\n1000,not-a-number\n")
    return path


def bundle_zip(
    bundle: Bundle, dest: Path, *, new_id: str | None = None, extra: dict[str, bytes] | None = None
) -> Path:
    """Zip a bundle folder (optionally renaming its id, or adding raw members)."""
    with zipfile.ZipFile(dest, "w") as zf:
        for file in sorted(p for p in bundle.root.rglob("*") if p.is_file()):
            data = file.read_bytes()
            rel = file.relative_to(bundle.root).as_posix()
            if rel == "challenge.toml" and new_id:
                data = data.replace(f'"{bundle.challenge.id}"'.encode(), f'"{new_id}"'.encode())
            zf.writestr(rel, data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return dest


def zip_names(content: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(content)).namelist()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A real uvicorn server in a thread on a free 127.0.0.1 port."""

    def __init__(self, app: object) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
