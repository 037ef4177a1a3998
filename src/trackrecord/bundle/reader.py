"""Open a bundle from a folder or a .zip, safely.

A zip is inspected member by member before anything is written: absolute paths, `..`
segments, links, too many members or too many uncompressed bytes are refused with the
member's name. A clean zip is unpacked into a content-addressed cache folder.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import tempfile
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

from trackrecord.bundle import v1
from trackrecord.bundle.model import Bundle, Challenge
from trackrecord.errors import InvalidBundle, Problem

REFERENCE_CODE = "private/reference.py"  # the reference pipeline, revealed after finalizing
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 4 * 1024**3


def zip_problems(zf: zipfile.ZipFile, name: str) -> list[Problem]:
    """Every unsafe member of a zip, named; an empty list means it may be unpacked."""
    problems: list[Problem] = []
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        problems.append(Problem(f"has {len(infos)} members, more than {MAX_MEMBERS}", file=name))
    total = 0
    for info in infos:
        member = info.filename
        path = PurePosixPath(member.replace("\\", "/"))
        if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":"):
            problems.append(Problem(f"member {member!r} has an absolute path", file=name))
        elif ".." in path.parts:
            problems.append(Problem(f"member {member!r} escapes the bundle with '..'", file=name))
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(Problem(f"member {member!r} is a symbolic link", file=name))
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        problems.append(
            Problem(f"unpacks to {total} bytes, more than {MAX_UNPACKED_BYTES}", file=name)
        )
    return problems


def _bundle_root(folder: Path) -> Path:
    """A zip may hold the bundle at its top or inside one folder named after the challenge."""
    if (folder / v1.FILE).is_file():
        return folder
    children = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / v1.FILE).is_file():
        return children[0]
    return folder


def unpack_zip(path: Path, cache_dir: Path | None = None) -> Path:
    """Check a zip, then unpack it once into cache_dir/<sha256>/ and return the bundle root."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidBundle(f"{path.name} is not a readable zip file: {exc}") from None
    with zf:
        problems = zip_problems(zf, path.name)
        if problems:
            raise InvalidBundle(f"{path.name} is not a safe bundle zip", problems=problems)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        base = cache_dir or Path(tempfile.gettempdir()) / "trackrecord-bundles"
        dest = base / digest
        if not dest.is_dir():
            base.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=base, prefix=".unpack-"))
            try:
                zf.extractall(staging)
                staging.rename(dest)
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
                if not dest.is_dir():
                    raise
    return _bundle_root(dest)


def read_challenge(root: Path) -> tuple[Challenge | None, list[Problem]]:
    toml_path = root / v1.FILE
    if not toml_path.is_file():
        return None, [Problem("challenge.toml is missing", file=v1.FILE)]
    try:
        doc = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(f"is not valid TOML: {exc}", file=v1.FILE)]
    return v1.parse(doc)


def open_bundle(path: str | Path, *, cache_dir: Path | None = None) -> Bundle:
    """Open a bundle folder or zip; raises InvalidBundle naming every problem in its header.

    This checks only what is needed to use the bundle (a valid challenge.toml); run
    `check_bundle` for the full content validation.
    """
    source = Path(path)
    if not source.exists():
        raise InvalidBundle(f"no bundle at {source}: no such file or folder")
    root = unpack_zip(source, cache_dir) if source.is_file() else _bundle_root(source)
    challenge, problems = read_challenge(root)
    if challenge is None:
        raise InvalidBundle(f"{source.name} has an invalid challenge.toml", problems=problems)
    desc_path = root / "description.md"
    description = desc_path.read_text(encoding="utf-8") if desc_path.is_file() else ""
    return Bundle(root=root, challenge=challenge, description=description, source=source)


def reference_code(bundle: Bundle) -> str | None:
    """The reference pipeline's Python source (private/reference.py), or None when the
    bundle has none. Private: show it only to a learner who has finalized the project."""
    path = bundle.root / REFERENCE_CODE
    return path.read_text(encoding="utf-8") if path.is_file() else None
