"""Encrypted storage of case documents outside the web root.

Every file gets a server-chosen name (64 hex characters, 256 random bits) and is stored as one
AES-256-GCM ciphertext (:mod:`lotse.core.crypto`) bound to that name (associated data
``cases.document:<name>``): a file copied or renamed on disk no longer decrypts, an altered one
neither. Layout: ``DOCUMENT_ROOT/<first two characters>/<name>``, directories ``0700``, files
``0600``, written atomically (temporary file, ``fsync``, ``os.replace``).

Names are checked strictly before any path is built, so no name can leave ``DOCUMENT_ROOT``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from lotse.core import crypto

_NAME = re.compile(r"\A[0-9a-f]{64}\Z")
_AD_PREFIX = b"cases.document:"


class StorageError(Exception):
    """A stored document cannot be read."""


class MissingFileError(StorageError):
    """No file is stored under this name."""


class CorruptFileError(StorageError):
    """The stored file was altered, belongs to another name, or its key is not in the key ring."""


def is_valid_name(storage_name: object) -> bool:
    return isinstance(storage_name, str) and bool(_NAME.match(storage_name))


def _root() -> Path:
    return Path(settings.DOCUMENT_ROOT)


def _path(storage_name: str) -> Path:
    if not is_valid_name(storage_name):
        raise ValueError("Invalid document storage name.")
    return _root() / storage_name[:2] / storage_name


def _associated_data(storage_name: str) -> bytes:
    return _AD_PREFIX + storage_name.encode("ascii")


def _ensure_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that readers see the old file or the new one, never a
    partial one; the temporary file is removed on failure."""
    _ensure_dir(_root())
    _ensure_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (not supported on every platform)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(data: bytes) -> str:
    """Encrypt and store ``data``; returns the new storage name."""
    while True:
        storage_name = secrets.token_hex(32)
        path = _path(storage_name)
        if not path.exists():  # a collision of 256 random bits does not happen; cheap to rule out
            break
    _write_atomic(path, crypto.encrypt(data, associated_data=_associated_data(storage_name)))
    return storage_name


def _read_ciphertext(storage_name: str) -> bytes:
    try:
        return _path(storage_name).read_bytes()
    except FileNotFoundError as exc:
        raise MissingFileError("No document is stored under this name.") from exc


def read(storage_name: str) -> bytes:
    """The decrypted content. Raises :class:`MissingFileError` or :class:`CorruptFileError`."""
    token = _read_ciphertext(storage_name)
    try:
        return crypto.decrypt(token, associated_data=_associated_data(storage_name))
    except crypto.DecryptionError as exc:
        raise CorruptFileError("The stored document cannot be decrypted.") from exc


def exists(storage_name: str) -> bool:
    return _path(storage_name).is_file()


def delete(storage_name: str) -> None:
    """Remove the stored file; a file already gone is fine."""
    _path(storage_name).unlink(missing_ok=True)


def needs_reencryption(storage_name: str) -> bool:
    """True when the file is encrypted with a key other than the current one."""
    return crypto.needs_rotation(_read_ciphertext(storage_name))


def reencrypt(storage_name: str) -> bool:
    """Encrypt the file with the current key if it was encrypted with an older one (key
    rotation). Returns whether it was rewritten."""
    token = _read_ciphertext(storage_name)
    if not crypto.needs_rotation(token):
        return False
    associated_data = _associated_data(storage_name)
    try:
        plaintext = crypto.decrypt(token, associated_data=associated_data)
    except crypto.DecryptionError as exc:
        raise CorruptFileError("The stored document cannot be decrypted.") from exc
    _write_atomic(_path(storage_name), crypto.encrypt(plaintext, associated_data=associated_data))
    return True


def stored_names() -> Iterator[str]:
    """Every storage name on disk (to find orphans or rotate keys); temporary files excluded."""
    root = _root()
    if not root.is_dir():
        return
    for directory in sorted(root.iterdir()):
        if not directory.is_dir() or not re.fullmatch(r"[0-9a-f]{2}", directory.name):
            continue
        for path in sorted(directory.iterdir()):
            if is_valid_name(path.name) and path.name.startswith(directory.name) and path.is_file():
                yield path.name


def modified_at(storage_name: str) -> float:
    """The file's modification time (seconds since the epoch), for sweeping old orphans."""
    return _path(storage_name).stat().st_mtime
