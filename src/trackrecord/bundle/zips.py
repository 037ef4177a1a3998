"""Bundle zips, inspected before anything is written and unpacked under a byte count.

The zip's directory is checked first (paths, links, duplicates, encryption, compression
methods, member count, declared sizes); then each member is copied in chunks while its
bytes are counted, so a member that lies about its size, a bad CRC or a truncated stream
is refused with the member's name, and the staging folder is removed.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NoReturn

from trackrecord.errors import InvalidBundle, Problem, strip_paths
from trackrecord.settings import DEFAULT_MAX_BUNDLE_MEMBERS, DEFAULT_MAX_BUNDLE_UNPACKED_MB

if TYPE_CHECKING:
    from trackrecord.settings import Settings

CHUNK = 1024 * 1024
# Stored and Deflate: what zip tools write by default and what Python reads natively.
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
METHOD_NAMES = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 99: "AES encryption"}


@dataclass(frozen=True)
class BundleLimits:
    """How much a bundle zip may unpack to (settings max_bundle_unpacked_mb and
    max_bundle_members; defaults as declared in docs/settings.md)."""

    max_unpacked_bytes: int = DEFAULT_MAX_BUNDLE_UNPACKED_MB * 2**20
    max_members: int = DEFAULT_MAX_BUNDLE_MEMBERS

    @classmethod
    def from_settings(cls, settings: Settings) -> BundleLimits:
        return cls(settings.max_bundle_unpacked_mb * 2**20, settings.max_bundle_members)


def member_parts(member: str) -> tuple[str, ...]:
    """A member's path as folder names, the way it would be written ('a//b/./c' = a/b/c)."""
    parts = PurePosixPath(member.replace("\\", "/")).parts
    return tuple(p for p in parts if p not in ("", ".", "/"))


def _member_problems(info: zipfile.ZipInfo, name: str) -> list[Problem]:
    member = info.filename
    problems: list[Problem] = []
    if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":"):
        problems.append(Problem(f"member {member!r} has an absolute path", file=name))
    elif ".." in PurePosixPath(member.replace("\\", "/")).parts:
        problems.append(Problem(f"member {member!r} escapes the bundle with '..'", file=name))
    if stat.S_ISLNK(info.external_attr >> 16):
        problems.append(Problem(f"member {member!r} is a symbolic link", file=name))
    if info.flag_bits & 0x1:
        problems.append(
            Problem(
                f"member {member!r} is encrypted; pack the bundle without a password", file=name
            )
        )
    elif info.compress_type not in METHODS:
        method = METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        problems.append(
            Problem(
                f"member {member!r} is compressed with {method}; only stored and deflate "
                "members are read (`trackrecord challenge pack` writes deflate)",
                file=name,
            )
        )
    return problems


def zip_problems(
    zf: zipfile.ZipFile, name: str, limits: BundleLimits | None = None
) -> list[Problem]:
    """Every unsafe member of a zip, named; an empty list means it may be unpacked."""
    limits = limits or BundleLimits()
    problems: list[Problem] = []
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        problems.append(
            Problem(f"has {len(infos):,} members, more than {limits.max_members:,}", file=name)
        )
        return problems  # not each of a million members
    seen: set[tuple[str, ...]] = set()
    total = 0
    for info in infos:
        problems += _member_problems(info, name)
        parts = member_parts(info.filename)
        if parts in seen:
            problems.append(
                Problem(f"member {info.filename!r} appears more than once in the zip", file=name)
            )
        seen.add(parts)
        total += info.file_size
    if total > limits.max_unpacked_bytes:
        problems.append(
            Problem(
                f"unpacks to {total:,} bytes, more than the {limits.max_unpacked_bytes:,} allowed",
                file=name,
            )
        )
    return problems


def extract(zf: zipfile.ZipFile, name: str, dest: Path, limits: BundleLimits | None = None) -> None:
    """Unpack a zip that passed `zip_problems` into `dest`, counting the bytes really written.

    Raises InvalidBundle naming the member that is damaged (bad CRC, truncated, a size that
    lies) or that passes the unpacked-size limit; `dest` may then hold part of the bundle
    and is the caller's to remove.
    """
    limits = limits or BundleLimits()
    left = limits.max_unpacked_bytes
    for info in zf.infolist():
        parts = member_parts(info.filename)
        if not parts:
            continue
        target = dest.joinpath(*parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            written = _copy_member(zf, info, target, left)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            _refuse(name, f"member {info.filename!r} is damaged: {strip_paths(str(exc))}")
        except OSError as exc:
            _refuse(name, f"member {info.filename!r} cannot be unpacked: {exc.strerror or exc}")
        if written is None:
            _refuse(
                name,
                f"unpacks to more than the {limits.max_unpacked_bytes:,} bytes allowed "
                f"(counted while unpacking member {info.filename!r})",
            )
        if written != info.file_size:
            _refuse(
                name,
                f"member {info.filename!r} holds {written:,} bytes, not the "
                f"{info.file_size:,} its zip entry declares: the zip is damaged",
            )
        left -= written


def _refuse(name: str, detail: str) -> NoReturn:
    raise InvalidBundle(f"{name} cannot be unpacked", problems=[Problem(detail, file=name)])


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, left: int) -> int | None:
    """Bytes written, or None as soon as they pass `left` (the copy is abandoned)."""
    written = 0
    with zf.open(info) as src, target.open("wb") as out:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > left or written > info.file_size:
                # Past what the entry declared: stop here, whatever the stream still holds.
                return None if written > left else written
            out.write(chunk)
    return written


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
