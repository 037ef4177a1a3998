"""Benchmark: `publish` of a portfolio of 100 projects and 50 posts (target: under 5 s).

The ledger holds 100 finalized results and 100 scored submissions (200 credentials, built
by the ledger's own code: OB 3.0 credentials signed RS256 as VC-JWTs, hash-chained), each
project with 20 submissions in its score history; 50 posts of ~1,200 words each with front
matter, a table, two highlighted code blocks, a coloured span, a local image and a remote one.

Measured in the same run:
  - build: `build_site` in-process (reading the ledger, rendering 50 posts and 150 pages,
    200 history plots' worth of SVG, the feed), median of --repeat runs;
  - cli: `trackrecord publish OUTDIR --ledger FILE --posts DIR` end to end in a fresh
    process with an empty home (imports, database, reading the posts, verifying the whole
    ledger in Python, building the site);
  - floor: copying the built site (the same files, the same bytes) with shutil.copytree:
    what writing the output costs with no work at all.

    python bench/publish.py [--projects 100] [--posts 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from trackrecord.bundle import Thresholds
from trackrecord.ledger import build_chain, keystore
from trackrecord.ledger import credential as C
from trackrecord.ledger.export import Export, IssuerEntry
from trackrecord.ledger.vcjwt import sign
from trackrecord.portfolio import ProjectExtra, SiteInput, build_site, read_posts
from trackrecord.portfolio.charts import Point, SkillBar

START = datetime(2026, 1, 1, tzinfo=UTC)
WORDS = ["model", "data", "feature", "split", "score", "baseline", "reference", "validation",
         "leakage", "target", "ridge", "forest", "boosting", "metric", "tuning"]  # fmt: skip


def credential(store: Any, i: int, kind: str) -> str:
    pid = f"project-{i:03d}"
    achievement = C.Achievement(pid, f"Project {i}", f"Predict the target of project {i}.",
                                "rmse", False, Thresholds(3.0, 2.0, 1.0), "private",
                                ("regression", f"skill-{i % 12}"))  # fmt: skip
    final = kind == "result"
    result = C.ResultFacts(kind, 20, 1.9 + i / 1000, 1.85 + i / 1000 if final else None,  # type: ignore[arg-type]
                           ("silver", "gold", "bronze")[i % 3] if final else None)  # fmt: skip
    inp = C.CredentialInput(
        credential_id=f"urn:uuid:{uuid.uuid4()}", issuer=store.issuer(),
        subject_id="urn:trackrecord:learner:bench", achievement=achievement, result=result,
        evidence=C.EvidenceFacts("ab" * 32, "submission.csv", 1000), origin="self-scored",
        valid_from=START + timedelta(hours=i + (1 if final else 0)),
    )  # fmt: skip
    return sign(C.build_credential(inp), store.active())


def make_export(home: Path, projects: int) -> dict[str, Any]:
    store = keystore(home)
    tokens = [credential(store, i, k) for i in range(projects) for k in ("submission", "result")]
    issuer = store.issuer()
    export = Export(
        exported_at=C.iso(START), subject={"id": "urn:trackrecord:learner:bench", "name": "Bench"},
        issuers={issuer.id: IssuerEntry(issuer.name, store.jwks(), "self")},
        records=build_chain(issuer.id, tokens),
    )  # fmt: skip
    return export.to_dict()


def make_posts(folder: Path, count: int) -> None:
    (folder / "img").mkdir(parents=True, exist_ok=True)
    (folder / "img" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20_000))
    for i in range(count):
        paragraphs = [" ".join(WORDS[(i + j + k) % len(WORDS)] for k in range(120)) + "."
                      for j in range(10)]  # fmt: skip
        body = "\n\n".join(
            [f"## Part {i}", paragraphs[0], "| model | score |\n| --- | ---: |\n| ridge | 1.9 |",
             '<span style="color:#e11d48">what mattered</span> and a <script>x()</script>',
             "```python\nimport numpy as np\nx = np.arange(10)\nprint(x.mean())\n```",
             *paragraphs[1:5], "![figure](img/figure.png)",
             "![remote](https://example.org/a.png)",
             "```sql\nSELECT id, AVG(score) FROM runs GROUP BY id;\n```", *paragraphs[5:]]
        )  # fmt: skip
        front = (f"---\ntitle: Post {i}\ndate: 2026-02-{1 + i % 28:02d}\ntags: [ml, bench]\n"
                 f"project: project-{i:03d}\ndescription: Notes {i}\n---\n")  # fmt: skip
        (folder / f"post-{i:02d}.md").write_text(front + body + "\n", encoding="utf-8")


def site_input(export: dict[str, Any], posts: Path, projects: int) -> SiteInput:
    found = read_posts(posts)
    extras = {
        f"project-{i:03d}": ProjectExtra(
            f"project-{i:03d}", f"Project {i}", "rmse", False,
            tuple(Point(n, 3.0 - n / 15 + (n % 3) / 10, n > 18) for n in range(1, 21)),
            {"baseline": 3.0, "reference": 2.0, "gold": 1.0},
        )
        for i in range(projects)
    }  # fmt: skip
    skills = [SkillBar(f"skill-{k}", 0.4 + k / 40, 0.2 + k / 40, 0.7 + k / 50, k + 1)
              for k in range(12)]  # fmt: skip
    return SiteInput(export, found.posts, found.problems, posts, extras, skills)


def timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        export = make_export(root / "keys-home", args.projects)
        make_posts(root / "posts", args.posts)
        ledger = root / "ledger.json"
        ledger.write_text(json.dumps(export), encoding="utf-8")

        def build() -> None:
            build_site(root / "site", site_input(export, root / "posts", args.projects))

        build_times = timed(build, args.repeat)

        def copy() -> None:
            shutil.rmtree(root / "copy", ignore_errors=True)
            shutil.copytree(root / "site", root / "copy")

        copy_times = timed(copy, args.repeat)
        env = {**os.environ, "TRACKRECORD_HOME": str(root / "cli-home")}
        env.pop("TRACKRECORD_DATABASE_URL", None)
        cmd = [sys.executable, "-m", "trackrecord", "publish", str(root / "cli-site"),
               "--ledger", str(ledger), "--posts", str(root / "posts")]  # fmt: skip

        cpu: list[float] = []

        def cli() -> None:
            shutil.rmtree(root / "cli-site", ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

        cli_times = timed(cli, args.repeat + 1)[1:]  # the first run creates the database
        cpu = cpu[1:]
        files = sum(1 for p in (root / "site").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file())
    print(f"publish: {args.projects} projects ({2 * args.projects} credentials), "
          f"{args.posts} posts -> {files} files, {size / 2**20:.1f} MiB")  # fmt: skip
    for name, times in (("build (in-process)", build_times), ("cli (end to end)", cli_times),
                        ("floor: copy the built site", copy_times)):  # fmt: skip
        print(
            f"  {name:28s} median {statistics.median(times):6.3f} s  "
            f"(min {min(times):.3f}, max {max(times):.3f}, n={len(times)})"
        )
    print(f"  {'cli CPU time (user + sys)':28s} median {statistics.median(cpu):6.3f} s")
    load = os.getloadavg()[0]
    print(f"target: under 5 s end to end (load average {load:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
