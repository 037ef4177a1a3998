"""The pure ledger modules: keys, credentials (OB 3.0 schema), VC-JWT (checked by PyJWT
too), status lists, the chain, the export format, and verification with tamper tests."""

from __future__ import annotations

import base64
import json
import os
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema
import jwt as pyjwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ledger_helpers import LIST_URL, SUBJECT, T0, ledger, make_input, signed, store_at
from trackrecord.errors import ConfigError
from trackrecord.ledger import (
    InvalidLedger,
    decode_credential,
    loads_export,
    read_export,
    statuslist,
    vcjwt,
    verify_export,
    write_export,
)
from trackrecord.ledger import credential as C
from trackrecord.ledger import keys as K
from trackrecord.ledger.chain import Record, build_chain, record_hash
from trackrecord.ledger.export import Export, IssuerEntry

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "ob_v3p0_achievementcredential.schema.json").read_text()
)
VALIDATOR = jsonschema.Draft201909Validator(
    SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
)


def assert_ob3(credential: dict[str, Any]) -> None:
    errors = sorted(VALIDATOR.iter_errors(credential), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


# Keys ----------------------------------------------------------------------------------


def test_keys_made_on_first_use_owner_only(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    key = store.active()
    folder = tmp_path / "keys"
    assert key.kid == key.key.thumbprint()
    assert store.active().kid == key.kid  # made once
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / f"{key.kid}.pem").stat().st_mode) == 0o600
    jwks = json.loads((folder / "jwks.json").read_text())
    assert [k["kid"] for k in jwks["keys"]] == [key.kid]
    assert not any("d" in k or "p" in k for k in jwks["keys"])  # public members only
    assert store.issuer().id.startswith("urn:uuid:")


def test_rotation_keeps_old_public_keys_and_old_credentials_verify(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    old = store.active()
    token = signed(store, 0)
    new = store.rotate()
    assert new.kid != old.kid and store.active().kid == new.kid
    assert [k.kid for k in store.public_keys()] == [old.kid, new.kid]
    assert [k.active for k in store.public_keys()] == [False, True]
    issuer = store.issuer()
    export = Export("t", {"id": SUBJECT}, {issuer.id: IssuerEntry("me", store.jwks(), "self")},
                    build_chain(issuer.id, [token, signed(store, 1)]))  # fmt: skip
    report = verify_export(export)
    assert report.ok, [r.reason for r in report.records]
    assert [r.kid for r in report.records] == [old.kid, new.kid]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_private_key_others_can_read_is_refused(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    kid = store.active().kid
    os.chmod(tmp_path / "keys" / f"{kid}.pem", 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        store.active()


def test_two_stores_racing_on_first_use_agree_on_one_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        kids = set(pool.map(lambda _: store_at(tmp_path).active().kid, range(8)))
    assert len(kids) == 1
    assert [k.kid for k in store_at(tmp_path).public_keys()] == list(kids)


def test_did_web_urls_and_documents() -> None:
    assert K.did_web_url("did:web:example.org") == "https://example.org/.well-known/did.json"
    assert K.did_web_url("did:web:example.org:u:alice") == "https://example.org/u/alice/did.json"
    assert (
        K.did_web_url("did:web:localhost%3A8765") == "https://localhost:8765/.well-known/did.json"
    )
    with pytest.raises(ConfigError):
        K.did_web_url("did:key:z6Mk")


def test_jwks_from_did_document(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.active()
    jwk = dict(store.jwks()["keys"][0])
    doc = {"id": "did:web:h.example", "verificationMethod": [
        {"id": "did:web:h.example#k", "type": "JsonWebKey2020", "publicKeyJwk": jwk}]}  # fmt: skip
    assert K.jwks_from_did_document(doc, "did:web:h.example")["keys"][0]["kid"] == jwk["kid"]
    with pytest.raises(ConfigError, match="names"):
        K.jwks_from_did_document(doc, "did:web:other.example")


# Credentials ---------------------------------------------------------------------------


@pytest.mark.parametrize("origin", C.ORIGINS)
@pytest.mark.parametrize("kind", ["result", "submission"])
def test_credentials_validate_against_the_ob3_schema(
    tmp_path: Path, origin: C.Origin, kind: str
) -> None:
    store = store_at(tmp_path)
    status = statuslist.entry(LIST_URL, 7) if origin != "self-scored" else None
    inp = make_input(store, 3, origin=origin, status=status, kind=kind,
                     valid_until=T0 + timedelta(days=365))  # fmt: skip
    if origin == "reproduced":
        inp = replace(inp, evidence=replace(inp.evidence, code_sha256="cd" * 32,
                                            environment="python 3.12"))  # fmt: skip
    credential = C.build_credential(inp)
    assert_ob3(credential)
    assert C.origin_of(credential) == origin
    assert f"({origin})" in credential["name"] and origin in credential["description"]
    results = {r["resultDescription"].rsplit(":", 1)[1]: r for r in
               credential["credentialSubject"]["result"]}  # fmt: skip
    if kind == "result":
        assert results["medal"]["achievedLevel"] == "urn:trackrecord:medal:gold"
        assert float(results["private"]["value"]) == 0.83
    else:
        assert "medal" not in results and "private" not in results
    evidence = credential["evidence"]
    assert evidence[0]["description"].startswith(f"sha256 {3:064x}")
    assert (len(evidence) == 2) == (origin == "reproduced")


def test_the_schema_check_is_real(tmp_path: Path) -> None:
    credential = C.build_credential(make_input(store_at(tmp_path)))
    for broken in (
        {k: v for k, v in credential.items() if k != "validFrom"},
        {**credential, "validFrom": "yesterday"},
        {**credential, "type": ["VerifiableCredential"]},
        {**credential, "@context": ["https://www.w3.org/2018/credentials/v1"]},
        {**credential, "credentialSubject": {"type": ["AchievementSubject"]}},
    ):
        assert list(VALIDATOR.iter_errors(broken))


# VC-JWT --------------------------------------------------------------------------------


def test_vc_jwt_header_and_claims_follow_ob3_section_8_2(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    inp = make_input(store, valid_until=T0 + timedelta(days=30))
    credential = C.build_credential(inp)
    token = vcjwt.sign(credential, store.active())
    header, payload = vcjwt.split(token)
    assert header == {"alg": "RS256", "kid": store.active().kid, "typ": "JWT"}
    assert payload["iss"] == credential["issuer"]["id"]
    assert payload["jti"] == credential["id"]
    assert payload["sub"] == credential["credentialSubject"]["id"] == SUBJECT
    assert payload["nbf"] == int(T0.timestamp())
    assert payload["exp"] == int((T0 + timedelta(days=30)).timestamp())
    assert decode_credential(token) == credential


def test_pyjwt_verifies_what_we_issue_with_the_published_jwks(tmp_path: Path) -> None:
    """A second, independent JOSE implementation accepts our tokens and keys."""
    store = store_at(tmp_path)
    token = signed(store, 0)
    store.rotate()
    newer = signed(store, 1)
    published = json.loads((tmp_path / "keys" / "jwks.json").read_text())
    jwks = pyjwt.PyJWKSet.from_dict(published)
    for tok in (token, newer):
        kid = pyjwt.get_unverified_header(tok)["kid"]
        key = next(k for k in jwks.keys if k.key_id == kid)
        claims = pyjwt.decode(tok, key.key, algorithms=["RS256"], options={"verify_aud": False})
        assert claims["sub"] == SUBJECT and claims["jti"].startswith("urn:uuid:")
    with pytest.raises(pyjwt.InvalidSignatureError):
        tampered = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
        pyjwt.decode(tampered, jwks.keys[0].key, algorithms=["RS256"])


def test_alg_none_and_hs256_with_the_public_key_are_refused(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    _, payload = vcjwt.split(signed(store, 0))

    def b64(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    kid = store.active().kid
    forged = f"{b64({'alg': 'none', 'kid': kid, 'typ': 'JWT'})}.{b64(payload)}.AAAA"
    public = store.active().key.as_pem(private=False)
    hs = pyjwt.api_jws.PyJWS()
    hs._algorithms["HS256"].prepare_key = lambda key: key  # the classic confusion attack
    confused = hs.encode(json.dumps(payload).encode(), public, algorithm="HS256",
                         headers={"kid": kid, "typ": "JWT"})  # fmt: skip
    for token in (forged, confused):
        export = ledger(store, 0, with_status=False)
        export.records.append(build_chain(store.issuer().id, [token])[0])
        check = verify_export(export).records[0]
        assert not check.ok and ("not RS256" in check.reason or "signature" in check.reason)


# Status lists --------------------------------------------------------------------------


def test_status_list_round_trip_and_bit_order() -> None:
    bits = statuslist.bitstring([0, 9, 131_071])
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    encoded = statuslist.encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    decoded = statuslist.decode(encoded)
    assert [i for i in (0, 1, 9, 10, 131_071) if statuslist.is_set(decoded, i)] == [0, 9, 131_071]
    assert len(decoded) * 8 == statuslist.MIN_BITS
    assert statuslist.encode(bits) == encoded  # deterministic (gzip mtime 0)


def test_status_list_decoding_refuses_bad_input() -> None:
    import gzip

    def enc(raw: bytes) -> str:
        return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    bomb = enc(gzip.compress(bytes(statuslist.MAX_BYTES + 1024)))
    for bad, why in ((bomb, "inflates"), (enc(b"not gzip"), "GZIP"),
                     (enc(gzip.compress(bytes(100))), "fewer"), ("zabc", "multibase")):  # fmt: skip
        with pytest.raises(statuslist.StatusListError, match=why):
            statuslist.decode(bad)


# Chain and export ----------------------------------------------------------------------


def test_record_hash_is_sha256_of_rfc8785_canonical_json() -> None:
    import hashlib

    body = '{"credential":"a.b.c","issuer":"urn:x","position":1,"prev_hash":null}'
    assert record_hash("urn:x", 1, "a.b.c", None) == hashlib.sha256(body.encode()).hexdigest()
    chain = build_chain("urn:x", ["t0", "t1", "t2"])
    assert [r.position for r in chain] == [0, 1, 2]
    assert chain[0].prev_hash is None and chain[2].prev_hash == chain[1].hash


def test_export_round_trip(tmp_path: Path) -> None:
    export = ledger(store_at(tmp_path), 3)
    path = write_export(export, tmp_path / "out" / "ledger.json")
    again = read_export(path)
    assert again == export
    data = json.loads(path.read_text())
    assert data["format"] == "trackrecord-ledger" and data["version"] == 1
    assert set(data["records"][0]) == {"issuer", "position", "credential", "prev_hash", "hash"}


def test_export_problems_name_where(tmp_path: Path) -> None:
    data = ledger(store_at(tmp_path), 2).to_dict()
    data["records"][1]["position"] = "one"
    del data["records"][0]["hash"]
    with pytest.raises(InvalidLedger) as info:
        loads_export(json.dumps(data), "l.json")
    problems = [str(p) for p in info.value.problems]
    assert any("records[1].position" in p for p in problems)
    assert any("records[0].hash" in p for p in problems)
    with pytest.raises(InvalidLedger, match="version 2"):
        loads_export(json.dumps({**data, "version": 2}), "l.json")
    with pytest.raises(InvalidLedger, match="line 1"):
        try:
            loads_export("{nope", "l.json")
        except InvalidLedger as exc:
            raise InvalidLedger(str(exc.problems[0].where())) from None


# Verification and tampering ------------------------------------------------------------


def _with(export: Export, records: list[Record]) -> Export:
    return replace(export, records=records)


def _first_failure(export: Export) -> tuple[int, str]:
    report = verify_export(export)
    bad = report.first_failure
    assert bad is not None and not report.ok
    return bad.index, bad.reason


def test_an_honest_ledger_verifies(tmp_path: Path) -> None:
    report = verify_export(ledger(store_at(tmp_path), 5))
    assert report.ok, [r.reason for r in report.records]
    assert {r.origin for r in report.records} == {"self-scored"}
    assert all(r.reason == "verified" and r.name.startswith("Gold on") for r in report.records)


def test_tamper_one_changed_byte(tmp_path: Path) -> None:
    export = ledger(store_at(tmp_path), 4)
    rec = export.records[2]
    i = len(rec.credential) // 2
    flip = "A" if rec.credential[i] != "A" else "B"
    records = list(export.records)
    records[2] = replace(rec, credential=rec.credential[:i] + flip + rec.credential[i + 1 :])
    index, reason = _first_failure(_with(export, records))
    assert index == 2 and reason.startswith("content changed")
    # one byte of the signed payload changed (the private score 0.83 -> 0.93), the record's
    # hash and the chain recomputed after it: the signature still tells
    head, body, sig = rec.credential.split(".")
    raw = base64.urlsafe_b64decode(body + "==").replace(b'"0.83"', b'"0.93"')
    forged = ".".join((head, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), sig))
    chain = build_chain(rec.issuer, [r.credential for r in export.records[:2]] + [forged]
                        + [r.credential for r in export.records[3:]])  # fmt: skip
    index, reason = _first_failure(_with(export, chain))
    assert index == 2 and reason.startswith("signature does not verify")


def test_tamper_two_records_swapped(tmp_path: Path) -> None:
    export = ledger(store_at(tmp_path), 4)
    r = list(export.records)
    r[1], r[2] = r[2], r[1]
    index, reason = _first_failure(_with(export, r))
    assert index == 1 and "records swapped" in reason


def test_tamper_one_record_dropped(tmp_path: Path) -> None:
    export = ledger(store_at(tmp_path), 4)
    index, reason = _first_failure(_with(export, export.records[:1] + export.records[2:]))
    assert index == 1 and "position 1 missing" in reason and "dropped" in reason


def test_tamper_one_record_inserted(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    export = ledger(store, 4)
    r = list(export.records)
    copy = r[1]  # a replayed, validly signed credential, chained in after record 1
    inserted = Record(copy.issuer, 2, copy.credential, r[1].hash,
                      record_hash(copy.issuer, 2, copy.credential, r[1].hash))  # fmt: skip
    index, reason = _first_failure(_with(export, [*r[:2], inserted, *r[2:]]))
    assert index == 2 and "inserted copy" in reason
    # a new record squeezed in without renumbering the rest
    fresh = build_chain(copy.issuer, [signed(store, 9)])[0]
    fresh = Record(copy.issuer, 1, fresh.credential, r[0].hash,
                   record_hash(copy.issuer, 1, fresh.credential, r[0].hash))  # fmt: skip
    index, reason = _first_failure(_with(export, [r[0], fresh, *r[1:]]))
    assert index == 2 and "appears twice: a record was inserted" in reason


def test_tamper_issuer_key_swapped(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    export = ledger(store, 3)
    other = store_at(tmp_path / "attacker").active()
    issuer_id, entry = next(iter(export.issuers.items()))
    swapped = {**K.public_jwk(other.key), "kid": store.active().kid}  # same kid, other key
    forged = replace(export, issuers={issuer_id: replace(entry, jwks={"keys": [swapped]})})
    index, reason = _first_failure(forged)
    assert index == 0 and reason.startswith("issuer key swapped")


def test_tamper_signed_by_a_key_the_issuer_never_published(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    export = ledger(store, 3)
    rogue = store_at(tmp_path / "rogue")
    rogue.set_issuer(store.issuer())  # claims to be the same issuer
    token = signed(rogue, 7)
    last = export.records[-1]
    records = [*export.records, build_chain(last.issuer, [token])[0]]
    records[-1] = Record(
        last.issuer, 3, token, last.hash, record_hash(last.issuer, 3, token, last.hash)
    )
    index, reason = _first_failure(_with(export, records))
    assert index == 3 and "never published" in reason


def test_a_revoked_credential_is_reported(tmp_path: Path) -> None:
    export = ledger(store_at(tmp_path), 4, revoked=(2,))
    report = verify_export(export)
    assert [r.ok for r in report.records] == [True, True, False, True]
    assert (
        report.records[2].reason.startswith("revoked by its issuer")
        and "index 2" in report.records[2].reason
    )


def test_status_list_missing_or_forged(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    export = ledger(store, 2)
    index, reason = _first_failure(replace(export, status_lists={}))
    assert index == 0 and "not in the file" in reason
    rogue = store_at(tmp_path / "rogue")
    rogue.set_issuer(store.issuer())
    clean = statuslist.list_credential(store.issuer(), LIST_URL, statuslist.bitstring([]), T0)
    forged = replace(export, status_lists={LIST_URL: vcjwt.sign(clean, rogue.active())})
    assert "never published" in _first_failure(forged)[1]


def test_trusted_keys_override_the_file(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    export = ledger(store, 2)
    assert verify_export(export, trusted=store.jwks()).ok
    stranger = store_at(tmp_path / "stranger")
    stranger.active()
    report = verify_export(export, trusted=stranger.jwks())
    assert not report.ok and "not among the keys you trusted" in report.records[0].reason


def test_expired_and_not_yet_valid(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    issuer = store.issuer()
    tokens = [signed(store, 0, valid_until=T0 + timedelta(days=1))]
    export = Export("t", {"id": SUBJECT}, {issuer.id: IssuerEntry("me", store.jwks(), "self")},
                    build_chain(issuer.id, tokens))  # fmt: skip
    assert "expired" in _first_failure(export)[1]
    assert verify_export(export, now=T0 + timedelta(hours=1)).ok
    assert "not valid yet" in verify_export(export, now=T0 - timedelta(days=1)).records[0].reason


@settings(max_examples=400, deadline=None)
@given(
    issuer=st.text(max_size=40),
    position=st.integers(min_value=0, max_value=2**53 - 1),
    credential=st.text(max_size=200) | st.from_regex(r"[A-Za-z0-9_.-]{0,300}", fullmatch=True),
    prev_hash=st.none() | st.text(max_size=64) | st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
)
def test_canonical_record_is_rfc8785(
    issuer: str, position: int, credential: str, prev_hash: str | None
) -> None:
    """The direct path for plain records writes exactly what the rfc8785 library writes."""
    import rfc8785

    from trackrecord.ledger.chain import canonical_record

    body = {"issuer": issuer, "position": position, "credential": credential,
            "prev_hash": prev_hash}  # fmt: skip
    try:
        expected = rfc8785.dumps(body)
    except rfc8785.CanonicalizationError:  # e.g. lone surrogates: not JSON text
        return
    assert canonical_record(issuer, position, credential, prev_hash) == expected
