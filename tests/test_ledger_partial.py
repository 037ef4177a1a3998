"""A learner's export of a hosted server's ledger: the server's chain interleaves all its
learners, so the export is a partial view of it (from the learner's first record, other
learners' positions as witnesses: hashes, no credential). It verifies for every learner,
reveals no one else's credential, and still catches every tampering of the learner's own
records and any forged witness."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FakeCatalog, regression_file
from tests.test_web_support import hosted
from trackrecord.bundle import Bundle
from trackrecord.cli import app as cli_app
from trackrecord.ledger import InvalidLedger, parse_export, verify_export
from trackrecord.ledger.chain import Record, Witness
from trackrecord.ledger.export import Export, read_export, write_export
from trackrecord.portfolio import SiteInput, build_site
from trackrecord.portfolio.records import read_records
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.models import User

URL = "http://tr.example"
runner = CliRunner()


def _user(svc: Service, name: str) -> int:
    with svc.session() as s:
        user = User(username=name, role="learner", password_hash="x")
        s.add(user)
        s.flush()
        return user.id


@pytest.fixture
def server(
    settings: Settings, catalog: FakeCatalog, bundles: dict[str, Bundle], tmp_path: Path
) -> Iterator[tuple[Service, dict[str, int]]]:
    """A hosted server's ledger: ann 0, bob 1, cat 2, ann 3, bob 4 (finalized), ann 5
    (finalized), cat 6, bob 7."""
    with Service(hosted(settings, public_url=URL), catalog=catalog) as svc:
        users = {name: _user(svc, name) for name in ("ann", "bob", "cat")}
        for name, uid in users.items():
            for n, offset in enumerate((2.5, 1.5)):
                path = regression_file(tmp_path / f"{name}{n}.csv", bundles["toy-reg"], offset)
                svc.submit(uid, "toy-reg", path)
        svc.credential(users["ann"], "toy-reg", 1)
        svc.credential(users["bob"], "toy-reg", 1)
        svc.credential(users["cat"], "toy-reg", 1)
        svc.credential(users["ann"], "toy-reg", 2)
        svc.finalize(users["bob"], "toy-reg")
        svc.finalize(users["ann"], "toy-reg")
        svc.credential(users["cat"], "toy-reg", 2)
        svc.credential(users["bob"], "toy-reg", 2)
        yield svc, users


def _bob(server: tuple[Service, dict[str, int]]) -> Export:
    svc, users = server
    return svc.export_ledger(users["bob"])


def _failure(export: Export) -> tuple[int, str]:
    bad = verify_export(export).first_failure
    assert bad is not None, "the tampered export verified"
    return bad.index, bad.reason


def test_the_second_learners_export_verifies_through_witnesses(
    server: tuple[Service, dict[str, int]], tmp_path: Path
) -> None:
    svc, users = server
    export = _bob(server)
    assert [r.position for r in export.records] == [1, 4, 7]
    assert [w.position for w in export.witnesses] == [2, 3, 5, 6]
    path = write_export(export, tmp_path / "bob.json")
    data = json.loads(path.read_text())
    (issuer,) = data["issuers"]
    assert data["issuers"][issuer]["partial"] is True
    entries = data["records"]
    assert [e["position"] for e in entries] == [1, 2, 3, 4, 5, 6, 7]  # the chain's order
    witnesses = [e for e in entries if e.get("witness")]
    assert len(witnesses) == 4 and all("credential" not in w for w in witnesses)
    for other in ("ann", "cat"):  # no one else's credential is in the file
        for r in svc.export_ledger(users[other]).records:
            assert r.credential not in path.read_text()

    report = verify_export(read_export(path))
    assert report.ok, report.first_failure
    assert len(report.records) == 3  # witnesses are not records
    assert report.records[0].reason == (
        "verified (chain from position 1; earlier records are not this learner's)"
    )
    assert [r.reason for r in report.records[1:]] == ["verified", "verified"]
    result = runner.invoke(cli_app, ["verify", str(path), "--offline"])
    assert result.exit_code == 0, result.stdout
    assert "chain from position 1; earlier records are not this learner's" in result.stdout
    assert "All 3 record(s) verified." in result.stdout


def test_every_learner_on_the_server_verifies(server: tuple[Service, dict[str, int]]) -> None:
    svc, users = server
    positions = {}
    for name, uid in users.items():
        export = svc.export_ledger(uid)
        report = verify_export(parse_export(export.to_dict()))
        assert report.ok, (name, report.first_failure)
        positions[name] = [r.position for r in export.records]
    assert positions == {"ann": [0, 3, 5], "bob": [1, 4, 7], "cat": [2, 6]}
    ann = svc.export_ledger(users["ann"])
    assert [w.position for w in ann.witnesses] == [1, 2, 4]
    assert verify_export(ann).records[0].reason == "verified"  # ann's view starts at 0


def test_each_tampering_of_the_learners_own_records_is_caught(
    server: tuple[Service, dict[str, int]],
) -> None:
    export = _bob(server)
    r = export.records
    index, reason = _failure(replace(export, records=[r[0], r[2]]))
    assert index == 1 and "position 4 missing" in reason and "dropped" in reason
    index, reason = _failure(replace(export, records=[r[1], r[2]]))
    assert index == 0 and "before position 4 missing (dropped)" in reason
    index, reason = _failure(replace(export, records=[r[0], r[1]]))
    assert index == 1 and "after position 4 missing (dropped)" in reason
    index, reason = _failure(replace(export, records=[r[0], r[2], r[1]]))
    assert index == 1 and "records swapped" in reason
    copy = Record(r[1].issuer, r[1].position, r[1].credential, r[1].prev_hash, r[1].hash)
    index, reason = _failure(replace(export, records=[r[0], r[1], copy, r[2]]))
    assert index == 2 and "appears twice: a record was inserted" in reason
    changed = replace(r[1], credential=r[1].credential[:-2] + "AA")
    index, reason = _failure(replace(export, records=[r[0], changed, r[2]]))
    assert index == 1 and reason.startswith("content changed")


def test_a_forged_witness_fails(server: tuple[Service, dict[str, int]]) -> None:
    export = _bob(server)
    w = export.witnesses  # positions 2, 3, 5, 6

    def forged(i: int, witness: Witness) -> Export:
        return replace(export, witnesses=[*w[:i], witness, *w[i + 1 :]])

    index, reason = _failure(forged(0, replace(w[0], prev_hash="0" * 64)))
    assert index == 1 and "witness at position 2 does not link" in reason
    index, reason = _failure(forged(0, replace(w[0], hash="0" * 64)))
    assert index == 1 and "witness at position 3 does not link" in reason
    index, reason = _failure(forged(3, replace(w[3], hash="0" * 64)))
    assert index == 2 and "chain broken" in reason and "witness at position 6" in reason
    index, reason = _failure(replace(export, witnesses=w[:3]))
    assert index == 2 and "position 6 missing" in reason
    # a witness at a position the learner's record holds
    extra = Witness(w[0].issuer, 4, w[1].hash, "f" * 64)
    index, reason = _failure(replace(export, witnesses=[*w, extra]))
    assert index == 1 and "position 4 is also a witness: a record was inserted" in reason


def test_a_file_that_claims_a_whole_chain_still_needs_position_0(
    server: tuple[Service, dict[str, int]],
) -> None:
    export = _bob(server)
    (issuer,) = export.issuers
    whole = {issuer: replace(export.issuers[issuer], partial=False)}
    index, reason = _failure(replace(export, issuers=whole, witnesses=[]))
    assert index == 0 and "position 0 missing" in reason and "dropped" in reason
    data = replace(export, issuers=whole).to_dict()
    with pytest.raises(InvalidLedger) as caught:
        parse_export(data)
    assert "records[1]: a witness, but the chain of" in str(caught.value.problems)


def test_a_witness_is_read_strictly(server: tuple[Service, dict[str, int]]) -> None:
    data = _bob(server).to_dict()
    data["records"][1]["credential"] = "x.y.z"
    data["records"][2]["witness"] = "yes"
    with pytest.raises(InvalidLedger) as caught:
        parse_export(data)
    problems = str(caught.value.problems)
    assert "records[1].credential: a witness carries no credential" in problems
    assert "records[2].witness: expected true" in problems


def test_the_portfolio_ignores_witnesses(
    server: tuple[Service, dict[str, int]], tmp_path: Path
) -> None:
    data = _bob(server).to_dict()
    records = read_records(data)
    assert [r.position for r in records] == [1, 4, 7]
    assert all(r.payload is not None for r in records)
    report = build_site(tmp_path / "site", SiteInput(data))
    assert report.records == 3
    shipped = json.loads((tmp_path / "site" / "trackrecord.json").read_text())
    assert verify_export(parse_export(shipped)).ok
