"""`trackrecord admin gc`: what it removes, and what it must never remove (issue 11,
finding 8). The service tests run on SQLite and PostgreSQL (the `db_url` fixture)."""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trackrecord.bundle import Bundle
from trackrecord.errors import InvalidSubmission
from trackrecord.service import Service
from trackrecord.service.gc import EXPIRED, HALF_WRITTEN, UNREFERENCED, collect
from trackrecord.service.types import ScoreLike
from trackrecord.settings import Settings
from trackrecord.store import blobs as blobs_mod
from trackrecord.store.blobs import BlobStore, sha256_file

from .conftest import FakeCatalog, regression_file
from .test_web_support import bundle_zip

DAY = 86400.0


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 5, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def svc(settings: Settings, catalog: FakeCatalog, clock: Clock) -> Iterator[Service]:
    with Service(settings, catalog=catalog, clock=clock) as s:
        yield s


def age(path: Path, days: float) -> None:
    """Make a file look written `days` ago."""
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def age_everything(store: BlobStore, days: float) -> None:
    for blob in store.stored():
        age(blob.path, days)


def bad_file(tmp_path: Path, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_text(f"id,y\n1000,{name}\n")
    return path


def test_gc_keeps_what_is_referenced_and_frees_the_rest(
    svc: Service, bundles: dict[str, Bundle], clock: Clock, tmp_path: Path
) -> None:
    user = svc.local_user_id()
    scored = svc.submit(user, "toy-reg", regression_file(tmp_path / "a.csv", bundles["toy-reg"]))
    uploaded = svc.add_challenge(
        bundle_zip(bundles["toy-cls"], tmp_path / "class.zip", new_id="class-cls")
    )
    with pytest.raises(InvalidSubmission):
        svc.submit(user, "toy-reg", bad_file(tmp_path, "old-bad.csv"))
    clock.now += timedelta(days=10)  # the invalid file above is now past its retention
    with pytest.raises(InvalidSubmission):
        svc.submit(user, "toy-reg", bad_file(tmp_path, "new-bad.csv"))
    stray = svc.blobs.put_bytes(b"stored, then the process died before recording it")
    age_everything(svc.blobs, days=30)  # every file is old: only references protect them
    tmp_dir = svc.settings.blobs_dir / "tmp"
    half = tmp_dir / ".incoming-interrupted"
    half.write_bytes(b"x" * 1000)
    age(half, 1)
    writing = tmp_dir / ".incoming-being-written"
    writing.write_bytes(b"y" * 10)  # young: an upload in flight
    views = svc.submissions(user, "toy-reg")
    old_bad, new_bad = views[1].sha256, views[2].sha256
    protected = {scored.submission.sha256, new_bad}
    with svc.session() as s:
        from trackrecord.store.models import Challenge

        bundle_shas = {r.bundle_sha256 for r in s.query(Challenge) if r.source == "uploaded"}
    assert len(bundle_shas) == 1 and uploaded is not None
    protected |= bundle_shas

    dry = collect(svc, dry_run=True)
    assert all(svc.blobs.exists(sha) for sha in protected | {old_bad, stray.sha256})
    assert half.exists()
    report = collect(svc)
    assert set(report.removed) == set(dry.removed)
    assert sorted((f.kind, f.name) for f in report.removed) == sorted(
        [(EXPIRED, old_bad), (UNREFERENCED, stray.sha256), (HALF_WRITTEN, half.name)]
    )
    assert report.freed_bytes == sum(f.size_bytes for f in report.removed) > 1000
    assert report.totals[HALF_WRITTEN] == {"files": 1, "bytes": 1000}
    for sha in protected:
        assert svc.blobs.exists(sha), sha
        assert sha256_file(svc.blobs.path_for(sha)) == sha
    assert not svc.blobs.exists(old_bad) and not svc.blobs.exists(stray.sha256)
    assert not half.exists() and writing.exists()
    # The uploaded challenge still opens from its bundle blob, and scoring still works.
    svc._bundles.clear()
    assert svc.bundle("class-cls").challenge.id == "class-cls"
    again = svc.submit(user, "toy-reg", regression_file(tmp_path / "b.csv", bundles["toy-reg"], 1))
    assert again.submission.status == "scored"
    assert collect(svc).removed == ()  # nothing left to free


def test_gc_leaves_young_unreferenced_files_alone(svc: Service) -> None:
    """A file stored a moment ago may belong to an upload not recorded yet."""
    blob = svc.blobs.put_bytes(b"an upload being scored")
    report = collect(svc)
    assert report.removed == () and report.kept_young == 1
    assert svc.blobs.exists(blob.sha256)
    age(blob.path, 1)
    assert [f.name for f in collect(svc).removed] == [blob.sha256]


def test_storing_known_bytes_again_makes_them_young(svc: Service) -> None:
    """Bytes stored long ago and unreferenced, sent again by an upload in flight."""
    data = b"the same bytes, sent again"
    blob = svc.blobs.put_bytes(data)
    age(blob.path, 30)
    assert svc.blobs.is_stale(blob.sha256, older_than=time.time() - 60)
    svc.blobs.put_bytes(data)
    assert collect(svc).removed == ()
    assert svc.blobs.exists(blob.sha256)


def test_a_removal_racing_an_upload_of_the_same_bytes_never_loses_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst interleaving: the upload finds the blob present (its link fails), gc
    claims and deletes the old blob, then the upload's touch finds nothing: the upload
    links its own copy, so the file it returns exists with the right bytes."""
    store = BlobStore(tmp_path / "blobs")
    data = b"bytes an old, unreferenced blob and a new upload share"
    blob = store.put_bytes(data)
    age(blob.path, 30)
    real_utime = os.utime
    removed: list[int | None] = []

    def gc_strikes_first(path: Path, *args: object) -> None:
        if not removed:
            removed.append(store.remove_if_stale(blob.sha256, older_than=time.time() - 60))
        real_utime(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(blobs_mod.os, "utime", gc_strikes_first)
    again = store.put_bytes(data)
    assert removed == [len(data)]  # gc did remove the old file
    assert again.path.read_bytes() == data and sha256_file(again.path) == blob.sha256
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


def test_a_removal_that_finds_the_blob_touched_puts_it_back(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    blob = store.put_bytes(b"touched after gc listed it")
    # gc decided from an old time; the upload touched the file since: it is put back.
    assert store.remove_if_stale(blob.sha256, older_than=time.time() - 60) is None
    assert store.exists(blob.sha256) and blob.path.read_bytes() == b"touched after gc listed it"
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


class GatedScorer:
    """The real scorer, held at its start until released: an upload in flight."""

    def __init__(self, settings: Settings) -> None:
        from trackrecord.service.core import default_scorer

        self.inner = default_scorer(settings)
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, bundle: Bundle, path: Path) -> ScoreLike:
        self.entered.set()
        assert self.release.wait(30)
        return self.inner(bundle, path)


def test_gc_during_an_upload_in_flight_keeps_its_file(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    scorer = GatedScorer(settings)
    path = regression_file(tmp_path / "flight.csv", bundles["toy-reg"], 2.0)
    digest = sha256_file(path)
    with Service(settings, catalog=catalog, scorer=scorer) as svc:
        # The same bytes were stored long ago and never recorded: the worst case.
        old = svc.blobs.put_file(path)
        age(old.path, 30)
        user = svc.local_user_id()
        results: list[object] = []
        upload = threading.Thread(target=lambda: results.append(svc.submit(user, "toy-reg", path)))
        upload.start()
        try:
            assert scorer.entered.wait(30)  # stored, not recorded yet
            report = collect(svc)
            assert report.removed == () and report.kept_young == 1
        finally:
            scorer.release.set()
            upload.join(30)
        [result] = results
        assert result.submission.sha256 == digest  # type: ignore[attr-defined]
        age_everything(svc.blobs, 30)
        assert collect(svc).removed == ()  # now referenced by a scored submission
        assert sha256_file(svc.blobs.path_for(digest)) == digest


# The command -----------------------------------------------------------------------------

runner = CliRunner()


def test_the_command_prints_what_it_freed(
    home: Path, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    from trackrecord.cli import build_app

    settings = dataclasses.replace(Settings(home=home), invalid_retention_days=0)
    with Service(settings, catalog=catalog) as svc:
        user = svc.local_user_id()
        svc.submit(user, "toy-reg", regression_file(tmp_path / "a.csv", bundles["toy-reg"]))
        with pytest.raises(InvalidSubmission):
            svc.submit(user, "toy-reg", bad_file(tmp_path))
        stray = svc.blobs.put_bytes(b"z" * 2048)
        age_everything(svc.blobs, 2)
    app = build_app()
    env = {"TRACKRECORD_INVALID_RETENTION_DAYS": "0"}
    dry = runner.invoke(app, ["admin", "gc", "--dry-run", "--home", str(home)], env=env)
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("Would free ") and " in 2 files" in dry.output
    assert "unreferenced files" in dry.output and stray.sha256 in dry.output
    assert (home / "blobs" / stray.sha256[:2] / stray.sha256).exists()
    done = runner.invoke(app, ["admin", "gc", "--json", "--home", str(home)], env=env)
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["dry_run"] is False
    assert sorted(f["kind"] for f in data["removed"]) == [EXPIRED, UNREFERENCED]
    assert data["freed_bytes"] == sum(f["size_bytes"] for f in data["removed"])
    assert data["totals"][UNREFERENCED] == {"files": 1, "bytes": 2048}
    assert not (home / "blobs" / stray.sha256[:2] / stray.sha256).exists()
    again = runner.invoke(app, ["admin", "gc", "--home", str(home)], env=env)
    assert again.exit_code == 0 and again.output.startswith("Freed 0 B in 0 files")
