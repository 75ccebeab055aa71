"""Authenticated encryption of data at rest (AES-256-GCM) with a key ring for rotation.

A ciphertext is ``b"L1" + key_id(4) + nonce(12) + ciphertext||tag``. The key id is the first four
bytes of SHA-256 over the key, so any key of the ring can be found without trying them all.
Callers pass *associated data* naming what the value belongs to (e.g. ``b"accounts.totp:42"``):
a ciphertext copied to another row or field no longer decrypts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PREFIX = b"L1"
_NONCE_BYTES = 12


class DecryptionError(Exception):
    """The value was altered, belongs to another record, or its key is not in the ring."""


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[bytes, ...]

    @property
    def current(self) -> bytes:
        return self.keys[0]

    @staticmethod
    def key_id(key: bytes) -> bytes:
        return hashlib.sha256(key).digest()[:4]

    def find(self, key_id: bytes) -> bytes:
        for key in self.keys:
            if hmac.compare_digest(self.key_id(key), key_id):
                return key
        raise DecryptionError("No key of the key ring matches this value.")


def parse_keys(encoded: list[str]) -> KeyRing:
    if not encoded:
        raise ImproperlyConfigured("No field-encryption key configured (LOTSE_FIELD_ENCRYPTION_KEYS).")
    keys = []
    for item in encoded:
        raw = base64.urlsafe_b64decode(item.encode())
        if len(raw) != 32:
            raise ImproperlyConfigured("Every field-encryption key must be 32 bytes (base64).")
        keys.append(raw)
    return KeyRing(tuple(keys))


@lru_cache(maxsize=4)
def _ring_for(encoded: tuple[str, ...]) -> KeyRing:
    return parse_keys(list(encoded))


def keyring() -> KeyRing:
    return _ring_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: bytes, *, associated_data: bytes, ring: KeyRing | None = None) -> bytes:
    ring = ring or keyring()
    nonce = os.urandom(_NONCE_BYTES)
    body = AESGCM(ring.current).encrypt(nonce, plaintext, associated_data)
    return _PREFIX + ring.key_id(ring.current) + nonce + body


def decrypt(token: bytes, *, associated_data: bytes, ring: KeyRing | None = None) -> bytes:
    ring = ring or keyring()
    token = bytes(token)
    if len(token) < 2 + 4 + _NONCE_BYTES + 16 or not token.startswith(_PREFIX):
        raise DecryptionError("Not a Lotse ciphertext.")
    key = ring.find(token[2:6])
    nonce, body = token[6 : 6 + _NONCE_BYTES], token[6 + _NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, associated_data)
    except InvalidTag as exc:
        raise DecryptionError("The value was altered or belongs to another record.") from exc


def needs_rotation(token: bytes, *, ring: KeyRing | None = None) -> bool:
    """True when the value is encrypted with a key other than the current one."""
    ring = ring or keyring()
    return bytes(token)[2:6] != ring.key_id(ring.current)


def encrypt_text(value: str, *, associated_data: bytes) -> bytes:
    return encrypt(value.encode("utf-8"), associated_data=associated_data)


def decrypt_text(token: bytes, *, associated_data: bytes) -> str:
    return decrypt(token, associated_data=associated_data).decode("utf-8")
