"""Write and pack bundles: the inverse of reading, used by the catalog and the importers."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from trackrecord.bundle import v1
from trackrecord.bundle.model import Bundle, Challenge
from trackrecord.bundle.reader import REFERENCE_CODE, open_bundle
from trackrecord.errors import InvalidBundle

if TYPE_CHECKING:
    import pandas as pd

USAGE = "Usage"
USAGE_VALUES = ("Public", "Private", "Ignored")
# A fixed timestamp makes `pack` byte-for-byte reproducible.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def write_bundle(
    dest: str | Path,
    challenge: Challenge,
    *,
    description: str,
    train: pd.DataFrame,
    test: pd.DataFrame,
    solution: pd.DataFrame,
    sample_submission: pd.DataFrame,
    extra_public: Mapping[str, bytes] | None = None,
    starter: Mapping[str, str | bytes] | None = None,
    reference_code: str | None = None,
) -> Bundle:
    """Write a complete bundle folder atomically (to a sibling temp folder, then renamed).

    `solution` holds the id column, the solution columns and `Usage`
    (Public / Private / Ignored). `reference_code`, the reference pipeline as Python source,
    goes to private/reference.py: shown to a learner only after finalizing. An existing
    folder at `dest` is replaced.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}-"))
    try:
        (staging / "public").mkdir()
        (staging / "private").mkdir()
        (staging / v1.FILE).write_text(tomli_w.dumps(v1.dump(challenge)), encoding="utf-8")
        (staging / "description.md").write_text(description, encoding="utf-8")
        train.to_csv(staging / "public" / "train.csv", index=False)
        test.to_csv(staging / "public" / "test.csv", index=False)
        sample_submission.to_csv(staging / "public" / "sample_submission.csv", index=False)
        for name, blob in (extra_public or {}).items():
            _write_member(staging / "public", name, blob)
        solution.to_csv(staging / "private" / "solution.csv", index=False)
        if reference_code is not None:
            (staging / REFERENCE_CODE).write_text(reference_code, encoding="utf-8")
        if starter:
            (staging / "starter").mkdir()
            for name, data in starter.items():
                _write_member(staging / "starter", name, data)
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return open_bundle(dest)


def _write_member(folder: Path, name: str, data: str | bytes) -> None:
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise InvalidBundle(f"file name {name!r} would be written outside {folder.name}/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)


def pack_bundle(src: str | Path, dest: str | Path | None = None) -> Path:
    """Zip a bundle folder as `<id>/...` members, sorted, with fixed timestamps."""
    bundle = open_bundle(src)
    root = bundle.root
    out = Path(dest) if dest is not None else Path(f"{bundle.challenge.id}.zip")
    if out.is_dir():
        out = out / f"{bundle.challenge.id}.zip"
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(s.startswith(".") for s in p.parts[len(root.parts) :])
    )
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            rel = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(f"{bundle.challenge.id}/{rel}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    os.replace(tmp, out)
    return out
