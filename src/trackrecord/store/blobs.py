"""A content-addressed file store: every file is named by its sha256 and never rewritten.

Layout: `<root>/<first two hex digits>/<sha256>`. A file is streamed into a temporary file
in `<root>/tmp/` while it is hashed, flushed to disk, then linked into place. Linking fails
when the name exists, so a blob already stored is never overwritten; an interrupted write
leaves at most a stray temporary file, never a partial blob.

Removing files (`trackrecord admin gc`) must never take a file an upload is about to use.
Storing bytes that are already stored touches the blob (its mtime becomes now), and removal
skips files younger than a grace period. A removal first *claims* the blob by renaming it
into `tmp/`, then checks its age again: a blob touched meanwhile is put back, and an upload
whose touch found the blob gone (claimed a moment before) links its own copy into place.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from trackrecord.errors import NotFound, PayloadTooLarge

CHUNK = 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
TMP_DIR = "tmp"
INCOMING = ".incoming-"  # a file being written, or left by an interrupted write
CLAIMED = ".gc-"  # a blob being removed (see the module docstring)


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int
    path: Path


class BlobStore:
    """Content-addressed files under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not SHA256_RE.match(sha256):
            raise NotFound(f"{sha256!r} is not a sha256 blob name")
        return self.root / sha256[:2] / sha256

    def get(self, sha256: str) -> Blob:
        path = self.path_for(sha256)
        if not path.is_file():
            raise NotFound(f"no stored file {sha256} under {self.root}")
        return Blob(sha256, path.stat().st_size, path)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_file(self, source: Path, *, max_bytes: int | None = None) -> Blob:
        """Store a copy of `source`; refuses files larger than `max_bytes` before storing."""
        size = source.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise PayloadTooLarge(
                f"{source.name} is {size} bytes, more than the limit of {max_bytes} bytes"
            )
        with source.open("rb") as fh:
            return self.put_stream(fh, max_bytes=max_bytes, name=source.name)

    def put_bytes(self, data: bytes) -> Blob:
        return self._put(iter((data,)), name="data")

    def put_stream(self, fh: BinaryIO, *, max_bytes: int | None = None, name: str = "") -> Blob:
        """Store what a binary stream yields (an upload), checking the size as it arrives."""
        return self._put(iter(lambda: fh.read(CHUNK), b""), max_bytes=max_bytes, name=name)

    def _put(self, chunks: Iterable[bytes], *, max_bytes: int | None = None, name: str) -> Blob:
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=".incoming-")
        tmp = Path(tmp_name)
        try:
            digest, size = _write_hashed(fd, chunks, max_bytes, name)
            blob = Blob(digest, size, self.path_for(digest))
            blob.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.chmod(0o444)
            _place(tmp, blob.path)
            return blob
        finally:
            tmp.unlink(missing_ok=True)

    # Removal (garbage collection) ---------------------------------------------------------

    def stored(self) -> Iterator[Blob]:
        """Every blob on disk (files under `<two hex digits>/` named by a sha256)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if SHA256_RE.match(path.name) and path.name[:2] == folder.name:
                    try:
                        yield Blob(path.name, path.stat().st_size, path)
                    except FileNotFoundError:
                        continue  # removed meanwhile

    def temporaries(self, *, older_than: float) -> list[tuple[Path, int]]:
        """Temporary files (interrupted writes, interrupted removals) last modified before
        the POSIX time `older_than`, with their sizes: nobody is writing them any more."""
        tmp_dir = self.root / TMP_DIR
        found = []
        if tmp_dir.is_dir():
            for path in sorted(tmp_dir.iterdir()):
                if not path.name.startswith((INCOMING, CLAIMED)):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                if stat.st_mtime < older_than:
                    found.append((path, stat.st_size))
        return found

    def is_stale(self, sha256: str, *, older_than: float) -> bool:
        """Whether the blob exists and was neither written nor touched since `older_than`."""
        try:
            return self.path_for(sha256).stat().st_mtime < older_than
        except FileNotFoundError:
            return False

    def remove_if_stale(self, sha256: str, *, older_than: float) -> int | None:
        """Remove the blob unless it was written or touched since the POSIX time
        `older_than` (an upload may be about to use it); returns the bytes freed, or None
        when it was kept (or already gone). Safe against concurrent `put_*` calls."""
        path = self.path_for(sha256)
        tmp_dir = self.root / TMP_DIR
        tmp_dir.mkdir(parents=True, exist_ok=True)
        claimed = tmp_dir / f"{CLAIMED}{sha256}-{os.getpid()}-{time.monotonic_ns()}"
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            return None
        try:
            stat = claimed.stat()
            if stat.st_mtime < older_than:
                return stat.st_size
            _link_back(claimed, path)  # touched meanwhile: an upload is using it
            return None
        finally:
            claimed.unlink(missing_ok=True)

    def remove_temporary(self, path: Path) -> None:
        """Remove one file found by `temporaries` (gone already is fine)."""
        if path.parent != self.root / TMP_DIR:
            raise ValueError(f"{path.name} is not a temporary file of this store")
        path.unlink(missing_ok=True)


def _place(tmp: Path, dest: Path) -> None:
    """Link the complete file `tmp` into place as `dest`, or touch `dest` when the same
    bytes are stored already (so a removal in progress keeps them, see the docstring)."""
    for _ in range(100):
        try:
            os.link(tmp, dest)
            return
        except FileExistsError:
            pass  # stored before (or concurrently): same bytes, keep them
        except OSError:  # a filesystem without hard links
            if not dest.exists():
                tmp.rename(dest)
                return
        try:
            os.utime(dest)
            return
        except FileNotFoundError:
            continue  # claimed for removal between the two calls: link our copy instead
    raise OSError(f"could not store {dest.name}: it keeps disappearing")


def _link_back(claimed: Path, path: Path) -> None:
    """Put a claimed blob back in place (an upload that stored the same bytes meanwhile
    linked its own copy already: same bytes, keep theirs)."""
    try:
        os.link(claimed, path)
    except FileExistsError:
        pass
    except OSError:  # a filesystem without hard links
        if not path.exists():
            claimed.rename(path)


def _write_hashed(
    fd: int, chunks: Iterable[bytes], max_bytes: int | None, name: str
) -> tuple[str, int]:
    hasher = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise PayloadTooLarge(
                    f"{name or 'the upload'} is larger than the limit of {max_bytes} bytes"
                )
            hasher.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return hasher.hexdigest(), size


def sha256_file(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest()
