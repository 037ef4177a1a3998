"""Open a bundle from a folder or a .zip, safely.

A zip is inspected member by member before anything is written (bundle/zips.py): unsafe
paths, links, duplicates, encryption, unknown compression, too many members or bytes are
refused with the member's name. A clean zip is unpacked, under a byte count, into a
content-addressed cache folder. The text files are read with size bounds and must be UTF-8.
"""

from __future__ import annotations

import hashlib
import tempfile
import tomllib
import zipfile
from pathlib import Path

from trackrecord.bundle import v1
from trackrecord.bundle.model import Bundle, Challenge
from trackrecord.bundle.zips import BundleLimits, extract, remove, zip_problems
from trackrecord.errors import InvalidBundle, Problem, strip_paths

__all__ = ["BundleLimits", "open_bundle", "read_challenge", "reference_code", "zip_problems"]

REFERENCE_CODE = "private/reference.py"  # the reference pipeline, revealed after finalizing
# Sizes of the text files a page renders: generous for a brief, small for a server.
MAX_TOML_BYTES = 256 * 1024
MAX_TEXT_BYTES = 2 * 2**20  # description.md, private/reference.py


def _bundle_root(folder: Path) -> Path:
    """A zip may hold the bundle at its top or inside one folder named after the challenge."""
    if (folder / v1.FILE).is_file():
        return folder
    children = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / v1.FILE).is_file():
        return children[0]
    return folder


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def unpack_zip(
    path: Path, cache_dir: Path | None = None, limits: BundleLimits | None = None
) -> Path:
    """Check a zip, then unpack it once into cache_dir/<sha256>/ and return the bundle root."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InvalidBundle(
            f"{path.name} is not a readable zip file: {strip_paths(str(exc), path)}"
        ) from None
    with zf:
        problems = zip_problems(zf, path.name, limits)
        if problems:
            raise InvalidBundle(f"{path.name} is not a safe bundle zip", problems=problems)
        base = cache_dir or Path(tempfile.gettempdir()) / "trackrecord-bundles"
        dest = base / _sha256(path)
        if not dest.is_dir():
            base.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=base, prefix=".unpack-"))
            try:
                extract(zf, path.name, staging, limits)
                staging.rename(dest)
            except InvalidBundle:
                remove(staging)
                raise
            except OSError:
                remove(staging)
                if not dest.is_dir():
                    raise
    return _bundle_root(dest)


def read_text(root: Path, rel: str, limit: int) -> tuple[str | None, list[Problem]]:
    """A bundle's text file, or None and the problem: too large, or not UTF-8."""
    path = root / rel
    size = path.stat().st_size
    if size > limit:
        return None, [Problem(f"is {size:,} bytes, more than the {limit:,} allowed", file=rel)]
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                f"is not UTF-8 text (byte {exc.start + 1} is invalid); save it as UTF-8", file=rel
            )
        ]


def read_challenge(root: Path) -> tuple[Challenge | None, list[Problem]]:
    toml_path = root / v1.FILE
    if not toml_path.is_file():
        return None, [Problem("challenge.toml is missing", file=v1.FILE)]
    text, problems = read_text(root, v1.FILE, MAX_TOML_BYTES)
    if text is None:
        return None, problems
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem(f"is not valid TOML: {exc}", file=v1.FILE)]
    except RecursionError:  # tomllib recurses once per nested array or inline table
        return None, [Problem("is not valid TOML: arrays or tables nest too deeply", file=v1.FILE)]
    return v1.parse(doc)


def open_bundle(
    path: str | Path, *, cache_dir: Path | None = None, limits: BundleLimits | None = None
) -> Bundle:
    """Open a bundle folder or zip; raises InvalidBundle naming every problem in its header.

    This checks only what is needed to use the bundle (a valid challenge.toml, readable
    text files); run `check_bundle` for the full content validation. `limits` bound what a
    zip may unpack to (default: the declared settings' defaults).
    """
    source = Path(path)
    if not source.exists():
        raise InvalidBundle(f"no bundle named {source.name}: no such file or folder")
    root = unpack_zip(source, cache_dir, limits) if source.is_file() else _bundle_root(source)
    challenge, problems = read_challenge(root)
    if challenge is None:
        raise InvalidBundle(f"{source.name} has an invalid challenge.toml", problems=problems)
    description = ""
    for rel in ("description.md", REFERENCE_CODE):
        if (root / rel).is_file():
            text, bad = read_text(root, rel, MAX_TEXT_BYTES)
            problems += bad
            description = text if rel == "description.md" and text is not None else description
    if problems:
        raise InvalidBundle(f"{source.name} has unreadable files", problems=problems)
    return Bundle(root=root, challenge=challenge, description=description, source=source)


def reference_code(bundle: Bundle) -> str | None:
    """The reference pipeline's Python source (private/reference.py), or None when the
    bundle has none. Private: show it only to a learner who has finalized the project."""
    path = bundle.root / REFERENCE_CODE
    return path.read_text(encoding="utf-8") if path.is_file() else None
