"""Invalid files have a daily allowance of their own, and their files do not live forever
(issue 11, finding 8). Every test runs on SQLite and PostgreSQL (the `db_url` fixture)."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from trackrecord.bundle import Bundle
from trackrecord.errors import ConfigError, InvalidSubmission, QuotaExceeded
from trackrecord.service import Service
from trackrecord.service.gc import collect
from trackrecord.service.submit import FILE_REMOVED
from trackrecord.service.types import ScoreLike
from trackrecord.settings import Settings, load_settings
from trackrecord.store.models import Submission

from .conftest import FakeCatalog, regression_file
from .test_web_support import client_for

ALLOWED = 3
UPLOAD_BYTES = 256 * 1024  # each bad file: what would pile up without an allowance


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class CountingScorer:
    """The real scorer, counting the files it is asked to read."""

    def __init__(self, settings: Settings) -> None:
        from trackrecord.service.core import default_scorer

        self.inner = default_scorer(settings)
        self.calls = 0

    def __call__(self, bundle: Bundle, path: Path) -> ScoreLike:
        self.calls += 1
        return self.inner(bundle, path)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 5, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def limited(settings: Settings) -> Settings:
    return dataclasses.replace(settings, invalid_per_day=ALLOWED, invalid_retention_days=7)


@pytest.fixture
def svc(limited: Settings, catalog: FakeCatalog, clock: Clock) -> Iterator[Service]:
    with Service(limited, catalog=catalog, clock=clock, scorer=CountingScorer(limited)) as s:
        yield s


def bad_file(tmp_path: Path, k: int) -> Path:
    """A distinct invalid file of about UPLOAD_BYTES (a non-number in column y)."""
    path = tmp_path / f"bad-{k}.csv"
    filler = "".join(f"{1000 + i},oops{k}\n" for i in range(UPLOAD_BYTES // 12))
    path.write_text("id,y\n" + filler)
    return path


def store_bytes(home: Path) -> tuple[int, int]:
    """Files and bytes in the blob store (temporary files included)."""
    files = [p for p in (home / "blobs").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def test_the_attack_hits_the_allowance_and_the_store_stays_bounded(
    svc: Service, tmp_path: Path
) -> None:
    user = svc.local_user_id()
    refused: list[QuotaExceeded] = []
    for k in range(30):  # the attack: invalid uploads, one after another
        try:
            svc.submit(user, "toy-reg", bad_file(tmp_path, k))
        except InvalidSubmission:
            assert k < ALLOWED
        except QuotaExceeded as exc:
            assert k >= ALLOWED
            refused.append(exc)
    assert len(refused) == 30 - ALLOWED
    message = refused[0].message
    assert f"sent {ALLOWED} files to toy-reg today (UTC) that could not be scored" in message
    assert "00:00 UTC, in 15 h 01 min" in message
    body = refused[0].to_dict()
    assert body["error"]["code"] == "quota_exceeded" and body["error"]["problems"] == []
    # Refused before the file was stored or read: only the allowed files were.
    assert svc.scorer.calls == ALLOWED  # type: ignore[attr-defined]
    files, size = store_bytes(svc.settings.home)
    assert files == ALLOWED and size < (ALLOWED + 1) * UPLOAD_BYTES
    with svc.session() as s:
        statuses = list(s.scalars(select(Submission.status)))
    assert statuses == ["invalid"] * ALLOWED


def test_the_allowance_is_per_day_and_per_challenge_and_blocks_valid_files_too(
    svc: Service, bundles: dict[str, Bundle], clock: Clock, tmp_path: Path
) -> None:
    user = svc.local_user_id()
    for k in range(ALLOWED):
        with pytest.raises(InvalidSubmission):
            svc.submit(user, "toy-reg", bad_file(tmp_path, k))
    good = regression_file(tmp_path / "good.csv", bundles["toy-reg"], 2.5)
    with pytest.raises(QuotaExceeded, match="could not be scored"):
        svc.submit(user, "toy-reg", good)  # nothing is read, so nothing is known valid
    with pytest.raises(InvalidSubmission):  # another challenge has its own allowance
        svc.submit(user, "toy-cls", bad_file(tmp_path, 99))
    clock.now += timedelta(days=1)
    result = svc.submit(user, "toy-reg", good)
    assert result.left_today == result.per_day - 1  # invalid files never took from it
    with pytest.raises(InvalidSubmission):
        svc.submit(user, "toy-reg", bad_file(tmp_path, 100))


def test_the_last_place_is_checked_again_under_the_lock(
    svc: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two uploads that both passed the early check (the second is scored while the first
    is recorded): the second is not recorded."""
    from trackrecord.service import submit as submit_mod

    user = svc.local_user_id()
    for k in range(ALLOWED - 1):
        with pytest.raises(InvalidSubmission):
            svc.submit(user, "toy-reg", bad_file(tmp_path, k))
    real = submit_mod._score_as
    raced = {"done": False}

    def a_rival_first(*args: object) -> ScoreLike:
        if not raced["done"]:  # a concurrent upload takes the last place meanwhile
            raced["done"] = True
            with pytest.raises(InvalidSubmission):
                svc.submit(user, "toy-reg", bad_file(tmp_path, 50))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(submit_mod, "_score_as", a_rival_first)
    with pytest.raises(QuotaExceeded, match="could not be scored"):
        svc.submit(user, "toy-reg", bad_file(tmp_path, 51))
    with svc.session() as s:
        assert len(list(s.scalars(select(Submission.id)))) == ALLOWED


def test_the_history_keeps_the_reasons_and_says_the_file_is_gone(
    svc: Service, bundles: dict[str, Bundle], clock: Clock, tmp_path: Path
) -> None:
    user = svc.local_user_id()
    with pytest.raises(InvalidSubmission):
        svc.submit(user, "toy-reg", bad_file(tmp_path, 1))
    svc.submit(user, "toy-reg", regression_file(tmp_path / "good.csv", bundles["toy-reg"]))
    before = svc.submissions(user, "toy-reg")
    assert [v.file_kept for v in before] == [True, True]
    assert FILE_REMOVED not in before[0].problems

    old = time.time() - 3 * 86400  # both files were written days ago (past the grace)
    for blob in svc.blobs.stored():
        os.utime(blob.path, (old, old))
    clock.now += timedelta(days=6)
    assert collect(svc).removed == ()  # within the retention: kept
    clock.now += timedelta(days=2)
    report = collect(svc)
    assert [(f.kind, f.name) for f in report.removed] == [
        ("expired invalid file", before[0].sha256)
    ]
    after = svc.submissions(user, "toy-reg")
    assert [v.status for v in after] == ["invalid", "scored"]
    assert after[0].file_kept is False and after[0].problems[-1] == FILE_REMOVED
    assert after[0].problems[:-1] == before[0].problems  # the reasons stay
    assert after[1] == before[1]  # the scored file is untouched
    assert svc.blobs.exists(before[1].sha256)


def test_the_api_answers_429_with_the_one_error_shape(
    limited: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    url = "/api/v1/challenges/toy-reg/submissions"
    with client_for(limited, catalog) as client:
        codes = []
        for k in range(ALLOWED + 2):
            files = {"file": (f"bad-{k}.csv", bad_file(tmp_path, k).read_bytes(), "text/csv")}
            response = client.post(url, files=files)
            codes.append(response.status_code)
        assert codes == [422] * ALLOWED + [429, 429]
        error = response.json()["error"]
        assert set(error) == {"code", "message", "problems"}
        assert error["code"] == "quota_exceeded" and "could not be scored" in error["message"]


def test_the_settings_are_declared_and_checked(tmp_path: Path) -> None:
    env = {"TRACKRECORD_INVALID_PER_DAY": "7", "TRACKRECORD_INVALID_RETENTION_DAYS": "0"}
    loaded = load_settings({"home": tmp_path}, env)
    assert (loaded.invalid_per_day, loaded.invalid_retention_days) == (7, 0)
    assert loaded.gc_grace_minutes == 60
    with pytest.raises(ConfigError, match="invalid_per_day must be a positive"):
        load_settings({"home": tmp_path, "invalid_per_day": 0}, {})
    with pytest.raises(ConfigError, match="invalid_retention_days must be zero or"):
        load_settings({"home": tmp_path, "invalid_retention_days": -1}, {})
