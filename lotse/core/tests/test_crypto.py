import base64
import os

import pytest

from lotse.core import crypto


def key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_round_trip_and_ciphertext_hides_the_value():
    token = crypto.encrypt_text("Ayşe Yılmaz", associated_data=b"cases.identity:1")
    assert b"Ay" not in token
    assert crypto.decrypt_text(token, associated_data=b"cases.identity:1") == "Ayşe Yılmaz"


def test_same_value_encrypts_differently_each_time():
    a = crypto.encrypt_text("x", associated_data=b"a")
    b = crypto.encrypt_text("x", associated_data=b"a")
    assert a != b


def test_tampering_and_moving_values_is_detected():
    token = bytearray(crypto.encrypt_text("geheim", associated_data=b"row:1"))
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(bytes(token), associated_data=b"row:2")
    token[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(bytes(token), associated_data=b"row:1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(b"not a token", associated_data=b"row:1")


def test_rotation_old_keys_still_decrypt_and_new_values_use_the_first_key():
    old, new = key(), key()
    old_ring = crypto.parse_keys([old])
    rotated = crypto.parse_keys([new, old])
    token = crypto.encrypt(b"v", associated_data=b"x", ring=old_ring)
    assert crypto.decrypt(token, associated_data=b"x", ring=rotated) == b"v"
    assert crypto.needs_rotation(token, ring=rotated)
    fresh = crypto.encrypt(b"v", associated_data=b"x", ring=rotated)
    assert not crypto.needs_rotation(fresh, ring=rotated)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(fresh, associated_data=b"x", ring=old_ring)


def test_bad_key_configuration_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keys([])
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keys([base64.urlsafe_b64encode(b"short").decode()])
