"""The backup archive format: round trip, encryption, and refusal of every kind of damage."""

from __future__ import annotations

import base64
import datetime
import decimal
import io
import os
import struct
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lotse.core.backup import archive, load_key, manifest
from lotse.core.backup.archive import ArchiveError, ArchiveReader, ArchiveWriter

KEY = os.urandom(32)
MANIFEST = {"vendor": "sqlite", "tables": {"t": {"rows": 2, "sha256": "ab" * 32}}}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "CHUNK", 64)


def _write(path: Path, dump: bytes, key: bytes | None) -> None:
    with path.open("wb") as handle:
        writer = ArchiveWriter(handle, {"vendor": "sqlite"}, key)
        for start in range(0, len(dump), 50):  # uneven pieces across chunk borders
            writer.dump(dump[start : start + 50])
        writer.finish(MANIFEST)


def _read(path: Path, key: bytes | None) -> tuple[bytes, dict]:  # type: ignore[type-arg]
    reader = ArchiveReader(path, key)
    dump = b"".join(reader.dump_chunks())
    assert reader.manifest is not None
    return dump, reader.manifest


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_round_trip_over_many_chunks(tmp_path: Path, small_chunks: None, key: bytes | None) -> None:
    dump = os.urandom(1000)
    path = tmp_path / "a.bak"
    _write(path, dump, key)
    got, found = _read(path, key)
    assert got == dump
    assert found["tables"] == MANIFEST["tables"]
    assert found["dump_bytes"] == 1000
    assert (dump[:32] in path.read_bytes()) is (key is None)  # encrypted: no plain text in the file


def test_wrong_key_is_named(tmp_path: Path) -> None:
    path = tmp_path / "a.bak"
    _write(path, b"secret dump", KEY)
    with pytest.raises(ArchiveError, match="Wrong key"):
        ArchiveReader(path, os.urandom(32))
    with pytest.raises(ArchiveError, match="encrypted: give the key"):
        ArchiveReader(path, None)


def _frame_offsets(path: Path) -> list[tuple[bytes, int, int]]:
    data = path.read_bytes()
    (length,) = struct.unpack(">I", data[9:13])
    pos = 13 + length
    frames = []
    while pos < len(data):
        kind = data[pos : pos + 1]
        (size,) = struct.unpack(">I", data[pos + 1 : pos + 5])
        frames.append((kind, pos, size))
        pos += 5 + size
    return frames


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
@pytest.mark.parametrize("where", ["header", "first-dump", "last-dump", "manifest", "end"])
def test_flipped_byte_is_refused(tmp_path: Path, small_chunks: None, key: bytes | None, where: str) -> None:
    path = tmp_path / "a.bak"
    _write(path, os.urandom(300), key)
    frames = _frame_offsets(path)
    dumps = [f for f in frames if f[0] == b"D"]
    target = {
        "header": 20,
        "first-dump": dumps[0][1] + 5 + 20,
        "last-dump": dumps[-1][1] + 5 + 3,
        "manifest": next(f for f in frames if f[0] == b"M")[1] + 5 + 14,
        "end": frames[-1][1] + 5 + 1,
    }[where]
    data = bytearray(path.read_bytes())
    data[target] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError):
        _read(path, key)


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_cut_swapped_appended_refused(tmp_path: Path, small_chunks: None, key: bytes | None) -> None:
    path = tmp_path / "a.bak"
    _write(path, os.urandom(300), key)
    original = path.read_bytes()
    frames = _frame_offsets(path)
    # cut off before the end marker
    path.write_bytes(original[: frames[-1][1]])
    with pytest.raises(ArchiveError, match="cut off"):
        _read(path, key)
    # two dump chunks swapped
    (_, a, sa), (_, b, sb) = frames[0], frames[1]
    swapped = original[:a] + original[b : b + 5 + sb] + original[a : a + 5 + sa] + original[b + 5 + sb :]
    path.write_bytes(swapped)
    with pytest.raises(ArchiveError):
        _read(path, key)
    # data after the end marker
    path.write_bytes(original + b"x")
    with pytest.raises(ArchiveError, match="after the end marker"):
        _read(path, key)


def test_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "x.bak"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(ArchiveError, match="not a Lotse backup"):
        ArchiveReader(path, None)


def test_key_loading(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BACKUP_KEY = ""
    assert load_key(None) is None
    key_file = tmp_path / "key"
    key_file.write_text(archive.new_key() + "\n")
    assert len(load_key(str(key_file)) or b"") == 32
    key_file.write_text(base64.b64encode(b"short").decode())
    with pytest.raises(ArchiveError, match="must be 32 bytes"):
        load_key(str(key_file))
    settings.BACKUP_KEY = "not base64!"
    with pytest.raises(ArchiveError, match="LOTSE_BACKUP_KEY is not valid base64"):
        load_key(None)
    with pytest.raises(ArchiveError, match="Cannot read the key file"):
        load_key(str(tmp_path / "missing"))


def test_writer_keeps_constant_memory(small_chunks: None) -> None:
    sink = io.BytesIO()
    writer = ArchiveWriter(sink, {}, KEY)
    for _ in range(100):
        writer.dump(b"x" * 70)
        assert len(writer._buffer) < archive.CHUNK
    writer.finish({})
    assert writer.dump_bytes == 7000


def test_canonical_rows_are_vendor_independent() -> None:
    berlin = datetime.datetime(2024, 3, 1, 13, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    utc = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.UTC)
    # what SQLite and PostgreSQL drivers return for the same stored values
    sqlite_like = (1, True, decimal.Decimal("1.50"), utc, b"\x00\xff", {"b": 1, "a": [1]}, None)
    postgres_like = (1, True, decimal.Decimal("1.5"), berlin, memoryview(b"\x00\xff"), {"a": [1], "b": 1}, None)
    assert manifest.canonical_row(sqlite_like) == manifest.canonical_row(postgres_like)
    assert manifest.canonical_row((decimal.Decimal("0.00"),)) == manifest.canonical_row((decimal.Decimal("0"),))
    # values that only look alike stay apart
    assert manifest.canonical_row((True,)) != manifest.canonical_row((1,))
    assert manifest.canonical_row(("1.5",)) != manifest.canonical_row((decimal.Decimal("1.5"),))
    assert manifest.canonical_row((b"ab",)) != manifest.canonical_row(("ab",))
    assert manifest.canonical_row((datetime.date(2024, 1, 2),)) == b'[{"t":"2024-01-02"}]'
    assert manifest.canonical_row((uuid.UUID(int=1),)) != manifest.canonical_row((str(uuid.UUID(int=1)),))


def test_compare_names_every_difference() -> None:
    expected = {
        "a": {"rows": 1, "sha256": "1"},
        "b": {"rows": 2, "sha256": "2"},
        "c": {"rows": 3, "sha256": "3"},
        "gone": {"rows": 0, "sha256": "0"},
    }
    actual = {
        "a": {"rows": 1, "sha256": "1"},
        "b": {"rows": 2, "sha256": "x"},
        "c": {"rows": 4, "sha256": "3"},
        "new_empty": {"rows": 0, "sha256": "0"},
        "new_full": {"rows": 5, "sha256": "5"},
    }
    found = {d.table: d.problem for d in manifest.compare(expected, actual)}
    assert set(found) == {"b", "c", "gone", "new_full"}
    assert "checksum" in found["b"]
    assert "4 row(s), the backup has 3" in found["c"]
    assert "missing" in found["gone"]
