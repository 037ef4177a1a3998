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
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the tests' ledger builder

from joserfc import jws  # noqa: E402
from joserfc.jwk import RSAKey  # noqa: E402
from ledger_helpers import ledger, store_at  # noqa: E402

from trackrecord.ledger import read_export, verify_export, write_export  # noqa: E402


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
        store = store_at(Path(tmp))
        export = ledger(store, args.n, revoked=(args.n // 2,))
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
