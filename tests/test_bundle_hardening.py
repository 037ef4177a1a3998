"""Issue 11, finding 9: hostile bundles get a clear InvalidBundle naming what and where,
never a crash, never a server folder, and nothing unpacked from a zip that is refused."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.factories import binary_bundle
from trackrecord.bundle import open_bundle, pack_bundle
from trackrecord.bundle.check import check_bundle
from trackrecord.bundle.reader import BundleLimits
from trackrecord.bundle.zips import extract
from trackrecord.errors import InvalidBundle

from .test_web_support import client_for, personal  # noqa: F401 (fixture)

GIB = 2**30


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory):
    return binary_bundle(tmp_path_factory.mktemp("hard") / "binary")


@pytest.fixture(scope="module")
def packed(source, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return pack_bundle(source.root, tmp_path_factory.mktemp("packed")).read_bytes()


def patch_member(data: bytes, member: str, **fields: int) -> bytes:
    """Rewrite header fields of `member` in both its local header and its directory entry:
    flags, method, crc, usize (uncompressed size)."""
    local = {"flags": (6, "<H"), "method": (8, "<H"), "crc": (14, "<I"), "usize": (22, "<I")}
    central = {"flags": (8, "<H"), "method": (10, "<H"), "crc": (16, "<I"), "usize": (24, "<I")}
    out = bytearray(data)
    name = member.encode()
    for sig, layout, name_at in ((b"PK\x03\x04", local, 30), (b"PK\x01\x02", central, 46)):
        at = out.find(sig)
        found = False
        while at >= 0:
            if out[at + name_at : at + name_at + len(name)] == name:
                for key, value in fields.items():
                    offset, fmt = layout[key]
                    struct.pack_into(fmt, out, at + offset, value)
                found = True
            at = out.find(sig, at + 4)
        assert found, f"{member} not found"
    return bytes(out)


def zip_path(tmp_path: Path, data: bytes, name: str = "bundle.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path, cache: Path) -> str:
    """open_bundle and check_bundle both refuse; returns every problem as text. Nothing of
    the refused zip is left in the cache."""
    with pytest.raises(InvalidBundle) as exc:
        open_bundle(path, cache_dir=cache)
    problems = check_bundle(path, cache_dir=cache)
    assert problems
    leftover = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert leftover == []
    text = str(exc.value) + "\n" + "\n".join(str(p) for p in problems)
    assert "Traceback" not in text and str(path.parent) not in text
    return text


MEMBER = "binary-demo/public/train.csv"


def test_an_encrypted_member_is_refused(packed, tmp_path):
    info = zipfile.ZipFile(zip_path(tmp_path, packed)).getinfo(MEMBER)
    data = patch_member(packed, MEMBER, flags=info.flag_bits | 0x1)
    text = refused(zip_path(tmp_path, data), tmp_path / "cache")
    assert f"member {MEMBER!r} is encrypted" in text


@pytest.mark.parametrize(("method", "name"), [(9, "Deflate64"), (99, "AES encryption")])
def test_unknown_compression_methods_are_named(packed, tmp_path, method, name):
    data = patch_member(packed, MEMBER, method=method)
    text = refused(zip_path(tmp_path, data), tmp_path / "cache")
    assert f"member {MEMBER!r} is compressed with {name}" in text


def test_a_bad_crc_is_refused_and_the_staging_folder_removed(packed, tmp_path):
    data = patch_member(packed, MEMBER, crc=0xDEADBEEF)
    text = refused(zip_path(tmp_path, data), tmp_path / "cache")
    assert f"member {MEMBER!r} is damaged" in text and "CRC" in text


@pytest.mark.parametrize("delta", [-100, 100])
def test_a_member_that_lies_about_its_size_is_refused(packed, tmp_path, delta):
    info = zipfile.ZipFile(zip_path(tmp_path, packed)).getinfo(MEMBER)
    data = patch_member(packed, MEMBER, usize=info.file_size + delta)
    text = refused(zip_path(tmp_path, data), tmp_path / "cache")
    assert MEMBER in text


@pytest.mark.parametrize("twin", [MEMBER, "binary-demo/public/./train.csv"])
def test_duplicate_member_names_are_refused(packed, tmp_path, twin):
    path = zip_path(tmp_path, packed)
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it writes
        zf.writestr(twin, "id,x,y\n0,1,yes\n")
    text = refused(path, tmp_path / "cache")
    assert f"member {twin!r} appears more than once" in text


def deflate_zeros(size: int) -> bytes:
    """A raw deflate stream of `size` zero bytes, built from one compressed MiB repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    mib = b"\0" * 2**20
    first = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    return first + again * (size // 2**20 - 1) + c.flush()


def add_raw_member(path: Path, name: str, stream: bytes, size: int) -> None:
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(stream), 0
        zf.fp.seek(zf.start_dir)  # type: ignore[union-attr]
        info.header_offset = zf.start_dir
        zf.fp.write(info.FileHeader(zip64=False))  # type: ignore[union-attr]
        zf.fp.write(stream)  # type: ignore[union-attr]
        zf.start_dir = zf.fp.tell()  # type: ignore[union-attr]
        zf.filelist.append(info)
        zf.NameToInfo[name] = info
        zf._didModify = True  # type: ignore[attr-defined]


def test_a_1_mb_bundle_holding_1_gib_of_zeros_is_refused_unpacked(packed, tmp_path):
    path = zip_path(tmp_path, packed)
    add_raw_member(path, "binary-demo/public/zeros.bin", deflate_zeros(GIB), GIB)
    assert path.stat().st_size < 2 * 2**20
    text = refused(path, tmp_path / "cache")
    assert "bundle.zip: unpacks to 1,07" in text  # 1 GiB and the bundle's own files
    assert f"more than the {512 * 2**20:,} allowed" in text


def test_the_unpacked_size_is_counted_while_unpacking(packed, tmp_path):
    path = zip_path(tmp_path, packed)
    limit = BundleLimits(max_unpacked_bytes=2000)
    with zipfile.ZipFile(path) as zf, pytest.raises(InvalidBundle) as exc:
        extract(zf, path.name, tmp_path / "out", limit)
    assert "unpacks to more than the 2,000 bytes allowed" in str(exc.value)
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written <= 2000


def test_the_unpacked_limit_is_a_setting(packed, tmp_path):
    path = zip_path(tmp_path, packed)
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    small = BundleLimits(max_unpacked_bytes=total - 1)
    problems = check_bundle(path, cache_dir=tmp_path / "c", limits=small)
    assert any("more than the" in p.message for p in problems)
    assert check_bundle(path, cache_dir=tmp_path / "c2") == []
    few = BundleLimits(max_members=3)
    assert "more than 3" in str(check_bundle(path, cache_dir=tmp_path / "c3", limits=few)[0])


# ---- challenge.toml and the text files -----------------------------------------------------


def folder_copy(source, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    dest = tmp_path / "copy"
    for file in source.root.rglob("*"):
        if file.is_file():
            target = dest / file.relative_to(source.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    return dest


def test_toml_nested_50k_deep_is_invalid_toml_not_a_crash(source, tmp_path):
    root = folder_copy(source, tmp_path)
    toml = root / "challenge.toml"
    toml.write_text(toml.read_text() + "\n[metric]\nx = " + "[" * 50_000 + "\n")
    with pytest.raises(InvalidBundle) as exc:
        open_bundle(root)
    assert "challenge.toml: is not valid TOML: arrays or tables nest too deeply" in str(exc.value)
    assert any("nest too deeply" in p.message for p in check_bundle(root))


@pytest.mark.parametrize("rel", ["description.md", "private/reference.py"])
def test_a_non_utf8_text_file_is_named(source, tmp_path, rel):
    root = folder_copy(source, tmp_path)
    (root / rel).write_bytes("# Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InvalidBundle) as exc:
        open_bundle(root)
    assert f"{rel}: is not UTF-8 text (byte 6 is invalid)" in str(exc.value)
    assert any(p.file == rel for p in check_bundle(root))


@pytest.mark.parametrize(
    ("length", "said"),
    [
        (5_000_000, "challenge.toml: is 5,000,330 bytes, more than the 262,144 allowed"),
        (100_000, "[challenge] title is 100,000 characters long; at most 200 are allowed"),
    ],
)
def test_a_huge_title_is_refused_and_not_echoed(source, tmp_path, length, said):
    root = folder_copy(source, tmp_path)
    toml = root / "challenge.toml"
    text = toml.read_text().replace('title = "Binary demo"', f'title = "{"T" * length}"')
    toml.write_text(text)
    with pytest.raises(InvalidBundle) as exc:
        open_bundle(root)
    assert said in str(exc.value)
    assert len(json.dumps(exc.value.to_dict())) < 2000


def test_long_lists_and_names_in_challenge_toml_are_refused(source, tmp_path):
    root = folder_copy(source, tmp_path)
    toml = root / "challenge.toml"
    skills = ", ".join(f'"s{i}"' for i in range(500))
    text = re.sub(r"(?m)^skills = .*$", f"skills = [{skills}]", toml.read_text())
    toml.write_text(text.replace('id_column = "id"', f'id_column = "{"i" * 300}"'))
    with pytest.raises(InvalidBundle) as exc:
        open_bundle(root)
    message = str(exc.value)
    assert "[challenge] skills has 500 entries; at most 100" in message
    assert "[challenge] id_column is 300 characters long" in message


def test_errors_name_the_bundle_not_the_server_folder(tmp_path):
    folder = tmp_path / "trackrecord-bundle-secret"
    folder.mkdir()
    fake = folder / "mine.zip"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    for call in (lambda: open_bundle(fake), lambda: open_bundle(folder / "gone.zip")):
        with pytest.raises(InvalidBundle) as exc:
            call()
        assert "trackrecord-bundle-secret" not in json.dumps(exc.value.to_dict())
    assert all("trackrecord-bundle-secret" not in str(p) for p in check_bundle(fake))


# ---- the web faces: a clear 4xx, never a 500 ------------------------------------------------


def test_hostile_uploads_through_the_api_are_422_not_500(personal: TestClient, packed, tmp_path):  # noqa: F811
    bad_crc = patch_member(packed, MEMBER, crc=0xDEADBEEF)
    response = personal.post(
        "/api/v1/host/challenges", files={"bundle": ("mine.zip", bad_crc, "application/zip")}
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"]["code"] == "invalid_bundle"
    assert "/tmp" not in response.text and "trackrecord-" not in response.text
    bomb = gzip.compress(b"id,y\n") + gzip.compress(b"1,0.5\n" * 200_000) * 50
    response = personal.post(
        "/api/v1/challenges/toy-reg/submissions",
        files={"file": ("sub.csv.gz", bomb, "application/gzip")},
    )
    assert response.status_code == 422, response.text
    assert "sub.csv.gz has more than" in response.json()["error"]["message"]
    assert "/tmp" not in response.text and "trackrecord-" not in response.text


def test_the_server_applies_its_unpacked_size_setting(settings, catalog, packed, tmp_path):
    path = zip_path(tmp_path, packed)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("binary-demo/public/images.bin", b"\0" * (2 * 2**20))  # 2 MiB, 2 KB zipped
    upload = {"bundle": ("mine.zip", path.read_bytes(), "application/zip")}
    small = dataclasses.replace(settings, max_bundle_unpacked_mb=1)
    with client_for(small, catalog) as client:
        response = client.post("/api/v1/host/challenges", files=upload)
    assert response.status_code == 422, response.text
    assert f"more than the {2**20:,} allowed" in response.text
    with client_for(settings, catalog) as client:
        assert client.post("/api/v1/host/challenges", files=upload).status_code == 201
