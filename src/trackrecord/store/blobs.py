"""A content-addressed file store: every file is named by its sha256 and never rewritten.

Layout: `<root>/<first two hex digits>/<sha256>`. A file is streamed into a temporary file
in `<root>/tmp/` while it is hashed, flushed to disk, then linked into place. Linking fails
when the name exists, so a blob already stored is never overwritten; an interrupted write
leaves at most a stray temporary file, never a partial blob.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from trackrecord.errors import NotFound, PayloadTooLarge

CHUNK = 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


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
            if not blob.path.exists():
                tmp.chmod(0o444)
                try:
                    os.link(tmp, blob.path)
                except FileExistsError:
                    pass  # stored concurrently by someone else: same bytes, keep theirs
                except OSError:  # a filesystem without hard links
                    if not blob.path.exists():
                        tmp.rename(blob.path)
            return blob
        finally:
            tmp.unlink(missing_ok=True)


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
