"""Benchmark: verifying a ledger of N credentials against bare signature checks.

    python bench/ledger.py [-n 10000] [--repeat 3]

Builds an export of N signed OB 3.0 credentials (one issuer, hash-chained, each with a
Bitstring Status List entry, one of them revoked), then times, in the same run and on the
same tokens:

- floor: N bare RS256 signature verifications with joserfc (`jws.deserialize_compact` with
  the key already imported), the library `verify_export` uses;
- verify: `verify_export` (hash, chain link, key lookup, signature, claims, status list);
- read + verify: the same after parsing the export file from disk.

Prints each time, the throughput, and the ratio of verify's throughput to the floor's
(target: at least 0.5). Best of --repeat runs, interleaved.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from joserfc import jws
from joserfc.jwk import RSAKey

from trackrecord.bundle import Thresholds
from trackrecord.ledger import credential as C
from trackrecord.ledger import read_export, statuslist, vcjwt, verify_export, write_export
from trackrecord.ledger.chain import build_chain
from trackrecord.ledger.export import Export, IssuerEntry
from trackrecord.ledger.keys import KeyStore

LIST_URL = "https://host.example/status/0"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def make_ledger(store: KeyStore, n: int, revoked: int) -> Export:
    """n host-verified credentials of one issuer, each with a status entry; one revoked."""
    issuer, key = store.issuer(), store.active()
    project = C.Achievement("titanic", "Titanic", "Predict who survived.", "accuracy", True,
                            Thresholds(0.70, 0.80, 0.82), "private", ("classification",),
                            "ab" * 32)  # fmt: skip
    tokens = []
    for i in range(n):
        inp = C.CredentialInput(
            f"urn:uuid:{uuid.uuid4()}", issuer, "urn:uuid:learner", project,
            C.ResultFacts("result", 1 + i % 9, 0.81, 0.83, "gold"),
            C.EvidenceFacts(f"{i:064x}", "submission.csv", 418), "host-verified",
            T0 + timedelta(seconds=i), status=statuslist.entry(LIST_URL, i),
        )  # fmt: skip
        tokens.append(vcjwt.sign(C.build_credential(inp), key))
    status = statuslist.list_credential(issuer, LIST_URL, statuslist.bitstring([revoked]), T0)
    return Export(
        exported_at=C.iso(T0),
        subject={"id": "urn:uuid:learner", "name": "bench"},
        issuers={issuer.id: IssuerEntry(issuer.name, store.jwks(), "self")},
        records=build_chain(issuer.id, tokens),
        status_lists={LIST_URL: vcjwt.sign(status, key)},
    )


def best_of(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """The best time of each function, run interleaved (a, b, c, a, b, c, ...) so that a
    busy moment on a shared machine does not favour one of them."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, out in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return [min(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = KeyStore(Path(tmp) / "keys")
        export = make_ledger(store, args.n, revoked=args.n // 2)
        path = write_export(export, Path(tmp) / "ledger.json")
        built = time.perf_counter() - start
        size = path.stat().st_size
        key = RSAKey.import_key(dict(store.public_keys()[0].jwk))
        tokens = [r.credential for r in export.records]

        def floor() -> None:
            for token in tokens:
                jws.deserialize_compact(token, key, algorithms=["RS256"])

        def verify() -> None:
            report = verify_export(export)
            assert sum(not r.ok for r in report.records) == 1  # the one revoked

        def read_and_verify() -> None:
            verify_export(read_export(path))

        t_floor, t_verify, t_read = best_of([floor, verify, read_and_verify], args.repeat)
    n = args.n
    print(f"built {n} signed credentials in {built:.1f} s (export {size / 2**20:.1f} MiB)")
    print(f"{'':16}{'seconds':>9}{'per second':>12}{'vs floor':>10}")
    for name, t in (("floor (jws)", t_floor), ("verify_export", t_verify),
                    ("read + verify", t_read)):  # fmt: skip
        print(f"{name:16}{t:9.3f}{n / t:12.0f}{t_floor / t:10.2f}")
    ratio = t_floor / t_verify
    print(f"verify_export runs at {ratio:.2f}x the floor's throughput (target >= 0.50)")


if __name__ == "__main__":
    main()
