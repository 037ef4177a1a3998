"""The OpenAPI document of /api/v1 tells the truth: schemathesis generates requests from it
(a few per operation, against the in-process app) and fails on any server error (5xx), an
answer whose body does not match its declared schema, an undeclared status code or
content type, or a 405 without `Allow`. Bounded: about 20 s on one core."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from trackrecord.bundle import Bundle
from trackrecord.settings import Settings
from trackrecord.web import create_app

from .conftest import FakeCatalog
from .test_web_support import split_submission

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

MAX_EXAMPLES = 15
# Another area's routes under /api/v1 (the ledger's), checked by their own tests.
NOT_HERE = r"^/api/v1/(me/credentials|credentials/)"
SERVER_LIMITS = {"POST /api/v1/host/invites"}  # max_uses: 1 to the setting max_invite_uses


def _seeded_app(settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle]) -> Any:
    """A personal server (no login: generated requests reach the handlers) where toy-reg has
    a scored submission, so boards, previews and reports have something to say."""
    personal = dataclasses.replace(settings, host="testserver")
    app = create_app(personal, catalog=catalog)
    svc = app.state.web.service
    path = split_submission(settings.home / "seed.csv", bundles["toy-reg"], 0.123456789, 2.5)
    svc.submit(svc.local_user_id(), "toy-reg", path)
    return app


def _checker(strategy: Any, skip: list[Any]) -> Any:
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def check(case: Any) -> None:
        case.call_and_validate(excluded_checks=skip)

    return check


def test_the_api_matches_its_openapi_document(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    app = _seeded_app(settings, catalog, bundles)
    schema = (
        schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
        .include(path_regex=r"^/api/v1/")
        .exclude(path_regex=NOT_HERE)
    )
    failures: list[str] = []
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        checked += 1
        # An uploaded file's content (a zip bundle, a CSV of the test ids) and the limits a
        # server's settings choose are checked by the server, not describable in a static
        # schema: such a schema-valid request may be refused with 422.
        upload = any(b.media_type == "multipart/form-data" for b in operation.body)
        limited = upload or operation.label in SERVER_LIMITS
        skip = [positive_data_acceptance] if limited else []

        check = _checker(operation.as_strategy(), skip)
        try:
            check()
        except Exception as exc:  # collect every operation's failure, not only the first
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    assert checked >= 25  # every learner, token, host and admin operation


def test_every_wrong_method_is_405_with_allow(settings: Settings, catalog: FakeCatalog) -> None:
    from fastapi.testclient import TestClient

    app = create_app(settings, catalog=catalog)
    paths = app.openapi()["paths"]
    with TestClient(app, base_url="http://127.0.0.1") as c:
        for path, operations in paths.items():
            if not path.startswith("/api/v1/"):
                continue
            declared = {m.upper() for m in operations}
            url = path.replace("{", "").replace("}", "")  # any value fits a path parameter
            wrong = next(m for m in ("DELETE", "PATCH", "PUT", "POST", "GET") if m not in declared)
            response = c.request(wrong, url)
            assert response.status_code == 405, (wrong, path, response.text)
            allowed = {m.strip() for m in response.headers["allow"].split(",")}
            # a path can match more than one route (/host/challenges/{slug} takes GET
            # /host/challenges/from-catalog): Allow names every method that works here
            assert declared <= allowed and wrong not in allowed, (wrong, path, allowed)
            assert response.json()["error"]["code"] == "method_not_allowed"
