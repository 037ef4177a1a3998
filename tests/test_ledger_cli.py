"""The track record through the CLI runner: keys, credential, export and verify, as a new
learner would use them, and what verify prints when a ledger was tampered with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import regression_file
from trackrecord.bundle import Bundle
from trackrecord.cli import app, ledger_cli
from trackrecord.ledger import vcjwt

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_catalog")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> dict[str, object]:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def finalized(home: Path, bundles: dict[str, Bundle], tmp_path: Path) -> Path:
    """A learner who submitted twice and finalized toy-reg; returns their export."""
    for i, offset in enumerate((1.5, 0.5)):
        sub = regression_file(tmp_path / f"s{i}.csv", bundles["toy-reg"], offset)
        assert run("submit", "toy-reg", str(sub))[0] == 0
    assert run("finalize", "toy-reg", "--yes")[0] == 0
    assert run("credential", "toy-reg", "1")[0] == 0
    path = tmp_path / "ledger.json"
    code, out, _ = run("export", str(path))
    assert code == 0 and "Wrote 2 credential(s) of 1 issuer(s)" in out
    return path


def test_keys_show_and_rotate(home: Path) -> None:
    shown = run_json("keys", "show")
    assert shown["algorithm"] == "RS256" and len(shown["keys"]) == 1  # type: ignore[arg-type]
    rotated = run_json("keys", "rotate")
    assert rotated["retired"] == shown["active"] and rotated["active"] != shown["active"]
    assert [k["active"] for k in rotated["keys"]] == [False, True]  # type: ignore[union-attr]
    code, out, _ = run("keys", "show")
    assert code == 0 and "retired" in out and str(rotated["active"]) in out


def test_credential_prints_a_vc_jwt(finalized: Path, tmp_path: Path) -> None:
    code, out, err = run("credential", "toy-reg", "--out", str(tmp_path / "c.jwt"))
    assert code == 0 and "Already signed" in err and "[self-scored]" in err
    token = out.strip()
    assert (tmp_path / "c.jwt").read_text().strip() == token
    assert vcjwt.split(token)[0]["typ"] == "JWT"
    data = run_json("credential", "toy-reg", "2")
    assert data["kind"] == "submission" and data["origin"] == "self-scored"
    code, _, err = run("credential", "toy-reg", "9")
    assert code == 1 and "#9" in err


def test_verify_an_honest_export(finalized: Path) -> None:
    code, out, _ = run("verify", str(finalized))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("ok   records[0]") and "[self-scored]: verified" in lines[0]
    assert "All 2 record(s) verified." in out and "keys of urn:uuid:" in out
    report = run_json("verify", str(finalized))
    assert report["ok"] is True and report["first_failure"] is None


def test_verify_names_the_first_record_that_fails(finalized: Path) -> None:
    data = json.loads(finalized.read_text())
    r0, r1 = data["records"]
    data["records"] = [r1, r0]  # swapped
    finalized.write_text(json.dumps(data))
    code, out, _ = run("verify", str(finalized))
    assert code == 1
    assert out.splitlines()[0].startswith("FAIL records[0]")
    assert "the first is records[0]: out of order" in out and "records swapped" in out


def test_verify_with_trusted_keys(finalized: Path, tmp_path: Path, home: Path) -> None:
    jwks = home / "keys" / "jwks.json"
    assert run("verify", str(finalized), "--key", str(jwks))[0] == 0
    stranger = tmp_path / "stranger.json"
    other = ledger_cli.K.KeyStore(tmp_path / "other")
    other.active()
    stranger.write_text(json.dumps(other.jwks()))
    code, out, _ = run("verify", str(finalized), "--key", str(stranger))
    assert code == 1 and "not among the keys you trusted" in out
    code, _, err = run("verify", str(finalized), "--key", str(finalized))
    assert code == 1 and "is not a JWKS" in err


def test_verify_a_url_and_a_did_web_key(
    finalized: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jwk = json.loads((home / "keys" / "jwks.json").read_text())["keys"][0]
    method = {"id": "did:web:learner.example#k", "type": "JsonWebKey2020", "publicKeyJwk": jwk}
    did = {"id": "did:web:learner.example", "verificationMethod": [method]}
    served = {
        "https://learner.example/trackrecord.json": finalized.read_bytes(),
        "https://learner.example/.well-known/did.json": json.dumps(did).encode(),
    }
    monkeypatch.setattr(ledger_cli, "_fetch", lambda url, what: served[url])
    code, out, _ = run(
        "verify", "https://learner.example/trackrecord.json", "--key", "did:web:learner.example"
    )
    assert code == 0 and "from the keys you trusted" in out


def test_verify_refuses_what_is_not_a_ledger(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    code, _, err = run("verify", str(bad))
    assert code == 1 and "is not a trackrecord ledger" in err
    code, _, err = run("verify", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read" in err
