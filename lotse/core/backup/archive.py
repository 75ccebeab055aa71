"""The backup archive: one file, a plain header, then a stream of framed chunks.

Layout::

    b"LOTSEBAK" version(1)=1  header_length(4, big endian)  header (UTF-8 JSON)
    frame*    where frame = kind(1)  length(4, big endian)  body(length)

Frame kinds, in this order: ``D`` (a chunk of the database dump, at most ``CHUNK`` bytes of
plain text), exactly one ``M`` (the manifest, JSON) and exactly one ``E`` (end marker); nothing
may follow ``E``.

*Encrypted* archives (``header["encrypted"]``): every body is ``nonce(12) || AES-256-GCM
ciphertext || tag(16)`` with a fresh random nonce and associated data
``SHA-256(magic..header) || frame index (8, big endian) || kind``, so an altered header, an
altered, swapped, dropped or re-ordered chunk, and a cut-off archive (no authenticated ``E``)
are all refused. The ``E`` body encrypts the number of frames before it.

*Plain* archives: bodies are the plain text; the ``E`` body is the SHA-256 over every earlier
frame (kind, index, length, body) and the header digest. That detects damage, not a forger:
encrypt archives that leave the machine.

Reading and writing keep at most one chunk in memory, whatever the size of the dump.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"LOTSEBAK"
VERSION = 1
CHUNK = 1024 * 1024
_MAX_HEADER = 64 * 1024
_MAX_FRAME = CHUNK + 12 + 16
_MAX_MANIFEST = 64 * 1024 * 1024
_NONCE = 12
DUMP, MANIFEST, END = b"D", b"M", b"E"


class ArchiveError(Exception):
    """The archive cannot be used: damaged, altered, cut off, or the key does not fit."""


def key_id(key: bytes) -> str:
    """First four bytes of SHA-256 over the key, hex: names the key without revealing it."""
    return hashlib.sha256(key).digest()[:4].hex()


def parse_key(encoded: str, *, source: str) -> bytes:
    """A backup key is 32 random bytes in (standard or urlsafe) base64."""
    text = encoded.strip()
    try:
        raw = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ArchiveError(f"The backup key from {source} is not valid base64.") from exc
    if len(raw) != 32:
        raise ArchiveError(f"The backup key from {source} must be 32 bytes (base64), it has {len(raw)}.")
    return raw


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode("ascii")


def _aad(header_digest: bytes, index: int, kind: bytes) -> bytes:
    return header_digest + struct.pack(">Q", index) + kind


@dataclass
class ArchiveWriter:
    """Write an archive frame by frame; call :meth:`dump` for the dump bytes (any amount per
    call), then :meth:`finish` with the manifest."""

    handle: IO[bytes]
    header: dict[str, Any]
    key: bytes | None = None
    _index: int = 0
    _buffer: bytearray = field(default_factory=bytearray)
    _running: Any = None
    _digest: bytes = b""
    dump_bytes: int = 0
    dump_sha256: Any = field(default_factory=hashlib.sha256)

    def __post_init__(self) -> None:
        self.header = {**self.header, "format": "lotse-backup", "version": VERSION, "encrypted": self.key is not None}
        if self.key is not None:
            self.header["cipher"] = "AES-256-GCM"
            self.header["key_id"] = key_id(self.key)
            self.header["chunk_bytes"] = CHUNK
        raw = json.dumps(self.header, sort_keys=True).encode("utf-8")
        prefix = MAGIC + bytes([VERSION]) + struct.pack(">I", len(raw)) + raw
        self._digest = hashlib.sha256(prefix).digest()
        self._running = hashlib.sha256(self._digest)
        self._aead = AESGCM(self.key) if self.key is not None else None
        self.handle.write(prefix)

    def _frame(self, kind: bytes, body: bytes) -> None:
        if self._aead is not None:
            nonce = os.urandom(_NONCE)
            body = nonce + self._aead.encrypt(nonce, body, _aad(self._digest, self._index, kind))
        head = kind + struct.pack(">I", len(body))
        self._running.update(kind + struct.pack(">Q", self._index) + head[1:] + body)
        self.handle.write(head)
        self.handle.write(body)
        self._index += 1

    def dump(self, data: bytes) -> None:
        self.dump_bytes += len(data)
        self.dump_sha256.update(data)
        self._buffer += data
        while len(self._buffer) >= CHUNK:
            self._frame(DUMP, bytes(self._buffer[:CHUNK]))
            del self._buffer[:CHUNK]

    def finish(self, manifest: dict[str, Any]) -> None:
        if self._buffer:
            self._frame(DUMP, bytes(self._buffer))
            self._buffer.clear()
        manifest = {**manifest, "dump_bytes": self.dump_bytes, "dump_sha256": self.dump_sha256.hexdigest()}
        self._frame(MANIFEST, json.dumps(manifest, sort_keys=True).encode("utf-8"))
        if self._aead is not None:
            self._frame(END, struct.pack(">Q", self._index))
        else:
            self._frame(END, self._running.digest())
        self.handle.flush()


def _read_exact(handle: IO[bytes], size: int, what: str) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise ArchiveError(f"The archive is cut off ({what} incomplete).")
    return data


def read_header(handle: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    """The plain header and the digest that binds every frame to it."""
    magic = handle.read(len(MAGIC) + 1)
    if magic[: len(MAGIC)] != MAGIC:
        raise ArchiveError("This is not a Lotse backup archive.")
    if magic[len(MAGIC)] != VERSION:
        raise ArchiveError(f"Unsupported archive version {magic[len(MAGIC)]} (this Lotse reads version {VERSION}).")
    (length,) = struct.unpack(">I", _read_exact(handle, 4, "header"))
    if length > _MAX_HEADER:
        raise ArchiveError("The archive header is damaged.")
    raw = _read_exact(handle, length, "header")
    try:
        header = json.loads(raw)
    except ValueError as exc:
        raise ArchiveError("The archive header is damaged.") from exc
    if not isinstance(header, dict) or header.get("format") != "lotse-backup":
        raise ArchiveError("The archive header is damaged.")
    return header, hashlib.sha256(magic + struct.pack(">I", length) + raw).digest()


@dataclass
class ArchiveReader:
    """Authenticated reading. :meth:`dump_chunks` yields the dump; the manifest is available
    only after the whole archive has been read and checked (:meth:`check`)."""

    path: Path
    key: bytes | None = None
    header: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        with self.path.open("rb") as handle:
            self.header, _ = read_header(handle)
        if not self.header.get("encrypted") and self.key is not None:
            # With a key configured, only an authenticated (encrypted) archive is trusted: a plain
            # archive's end marker is an unkeyed hash that anyone with write access could forge.
            raise ArchiveError(
                "The archive is not encrypted, but a backup key is configured: it cannot be "
                "authenticated. Restore a plain archive deliberately with --plain."
            )
        if self.header.get("encrypted"):
            if self.key is None:
                raise ArchiveError("The archive is encrypted: give the key (--key-file or LOTSE_BACKUP_KEY).")
            if key_id(self.key) != self.header.get("key_id"):
                raise ArchiveError(
                    f"Wrong key: the archive was encrypted with key {self.header.get('key_id')}, "
                    f"the key given is {key_id(self.key)}."
                )

    def _frames(self) -> Iterator[tuple[bytes, bytes]]:
        aead = AESGCM(self.key) if self.header.get("encrypted") and self.key is not None else None
        with self.path.open("rb") as handle:
            _, digest = read_header(handle)
            running = hashlib.sha256(digest)
            index = 0
            while True:
                head = handle.read(5)
                if not head:
                    raise ArchiveError("The archive is cut off (no end marker).")
                if len(head) != 5:
                    raise ArchiveError("The archive is cut off (frame header incomplete).")
                kind = head[:1]
                (length,) = struct.unpack(">I", head[1:])
                if kind not in (DUMP, MANIFEST, END) or (kind != MANIFEST and length > _MAX_FRAME):
                    raise ArchiveError(f"The archive is damaged at frame {index}.")
                if length > _MAX_MANIFEST:
                    raise ArchiveError(f"The archive is damaged at frame {index}.")
                body = _read_exact(handle, length, f"frame {index}")
                expected_end = running.digest()
                running.update(kind + struct.pack(">Q", index) + head[1:] + body)
                if aead is not None:
                    try:
                        body = aead.decrypt(body[:_NONCE], body[_NONCE:], _aad(digest, index, kind))
                    except (InvalidTag, ValueError) as exc:
                        raise ArchiveError(
                            f"The archive was altered or damaged: frame {index} does not authenticate."
                        ) from exc
                    if kind == END and body != struct.pack(">Q", index):
                        raise ArchiveError("The archive was altered: the end marker does not match.")
                elif kind == END and body != expected_end:
                    raise ArchiveError("The archive is damaged: its checksum does not match.")
                if kind == END:
                    if handle.read(1):
                        raise ArchiveError("The archive is damaged: data after the end marker.")
                    return
                yield kind, body
                index += 1

    def _walk(self) -> Iterator[bytes]:
        manifest: dict[str, Any] | None = None
        dump_sha = hashlib.sha256()
        dump_bytes = 0
        for kind, body in self._frames():
            if kind == DUMP:
                if manifest is not None:
                    raise ArchiveError("The archive is damaged: dump data after the manifest.")
                dump_sha.update(body)
                dump_bytes += len(body)
                yield body
            elif manifest is not None:
                raise ArchiveError("The archive is damaged: two manifests.")
            else:
                try:
                    manifest = json.loads(body)
                except ValueError as exc:
                    raise ArchiveError("The archive's manifest is damaged.") from exc
        if not isinstance(manifest, dict):
            raise ArchiveError("The archive has no manifest.")
        if manifest.get("dump_bytes") != dump_bytes or manifest.get("dump_sha256") != dump_sha.hexdigest():
            raise ArchiveError("The archive is damaged: the dump does not match its manifest.")
        self.manifest = manifest

    def check(self) -> dict[str, Any]:
        """Read and authenticate the whole archive; return the manifest."""
        for _ in self._walk():
            pass
        assert self.manifest is not None
        return self.manifest

    def dump_chunks(self) -> Iterator[bytes]:
        """The dump, chunk by chunk; raises :class:`ArchiveError` (possibly after some chunks)
        when the archive does not authenticate, so callers must be able to roll back."""
        yield from self._walk()


def write_all(handle: IO[bytes], chunks: Iterable[bytes]) -> None:
    for chunk in chunks:
        handle.write(chunk)
