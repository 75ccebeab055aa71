"""``manage.py rotate_keys``: every value encrypted with an older key is re-encrypted with the
current one, the plaintext stays the same, a second run changes nothing, a dry run only counts."""

from __future__ import annotations

import base64
import io
import os
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from lotse.accounts import totp
from lotse.accounts.models import TotpDevice
from lotse.audit.models import AuditEvent
from lotse.cases import storage
from lotse.cases.identity import unseal
from lotse.cases.models import Document, Identity
from lotse.cases.services.documents import document_filename, document_upload
from lotse.core import crypto
from lotse.core.management.commands.rotate_keys import FIELDS, Command

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def raw_file(name: str) -> bytes:
    return storage._read_ciphertext(name)


def snapshot() -> dict[str, Any]:
    """Raw ciphertexts of every encrypted value."""
    return {
        "identities": {i.pk: bytes(i.ciphertext) for i in Identity.objects.all()},
        "totp": {d.pk: bytes(d.secret_encrypted) for d in TotpDevice.objects.all()},
        "names": {d.pk: bytes(d.name_ciphertext) for d in Document.objects.all()},
        "files": {d.pk: raw_file(d.storage_name) for d in Document.objects.all()},
    }


def plaintexts() -> dict[str, Any]:
    return {
        "identities": {i.pk: unseal(i.ciphertext, case_id=i.case_id) for i in Identity.objects.all()},
        "totp": {d.pk: totp.secret_of(d) for d in TotpDevice.objects.all()},
        "names": {d.pk: document_filename(d) for d in Document.objects.all()},
        "files": {d.pk: storage.read(d.storage_name) for d in Document.objects.all()},
    }


def counts(snap: dict[str, Any]) -> dict[str, int]:
    """Values per kind, named as the command names them."""
    return {
        "identities": len(snap["identities"]),
        "totp_secrets": len(snap["totp"]),
        "document_names": len(snap["names"]),
        "document_files": len(snap["files"]),
    }


def all_tokens(snap: dict[str, Any]) -> list[bytes]:
    return [token for kind in snap.values() for token in kind.values()]


@pytest.fixture
def encrypted_with_old_key(world):  # type: ignore[no-untyped-def]
    """The world (an identity per tenant, documents perhaps) plus one authenticator and one more
    document, all encrypted with the test settings' key, which becomes the *old* key below."""
    actor = world.wesel.users["case_manager"]
    totp.new_device(actor)
    document_upload(world.wesel.case, actor=actor, upload=SimpleUploadedFile("Pass Amina.png", PNG), title="Passkopie")
    return world


def rotation_events() -> int:
    return AuditEvent.objects.filter(action="keys.rotated").count()


@pytest.mark.django_db
def test_rotation_reencrypts_every_kind_with_the_current_key(encrypted_with_old_key):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = new_key()
    before, clear = snapshot(), plaintexts()
    n = counts(before)
    assert n["identities"] >= 2 and n["totp_secrets"] == 1 and n["document_files"] >= 1

    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert all(crypto.needs_rotation(token) for token in all_tokens(before))
        output = run()
        for kind, count in n.items():
            assert f"{kind}: {count} re-encrypted" in output
        after = snapshot()
        assert not any(crypto.needs_rotation(token) for token in all_tokens(after))
        assert all(a != b for a, b in zip(all_tokens(before), all_tokens(after), strict=True))
        assert plaintexts() == clear

    # one audit event on the platform chain, with the counts only
    event = AuditEvent.objects.get(action="keys.rotated")
    assert event.tenant_id is None and event.actor_id is None
    assert event.details == {**n, "failed": 0, "key_id": event.details["key_id"]}
    assert event.details["key_id"] == crypto.KeyRing.key_id(base64.urlsafe_b64decode(new)).hex()

    # the old key can go: everything still decrypts with the new key alone
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert plaintexts() == clear


@pytest.mark.django_db
def test_second_run_changes_nothing_and_says_so(encrypted_with_old_key):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key(), old]):
        run()
        first = snapshot()
        output = run()
        assert "identities: 0 re-encrypted" in output
        assert "document_files: 0 re-encrypted" in output
        assert "Nothing to re-encrypt" in output
        assert snapshot() == first
    assert rotation_events() == 1


@pytest.mark.django_db
def test_dry_run_counts_and_changes_nothing(encrypted_with_old_key):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    before = snapshot()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key(), old]):
        output = run("--dry-run")
        for kind, count in counts(before).items():
            assert f"{kind}: {count} would be re-encrypted" in output
        assert "Dry run: nothing was changed." in output
    assert snapshot() == before
    assert rotation_events() == 0


@pytest.mark.django_db
def test_nothing_to_do_with_a_single_key(encrypted_with_old_key):
    before = snapshot()
    output = run()
    assert "Nothing to re-encrypt" in output
    assert snapshot() == before
    assert rotation_events() == 0


@pytest.mark.django_db
def test_a_value_no_key_of_the_ring_reads_fails_the_run_but_the_rest_is_rotated(encrypted_with_old_key):
    """A value of a key already removed: the run reports it and fails, so the operator keeps the
    old key; everything else is rotated and the event records the failure."""
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    lost = crypto.parse_keys([new_key()])
    device = TotpDevice.objects.get()
    TotpDevice.objects.filter(pk=device.pk).update(
        secret_encrypted=crypto.encrypt(b"JBSWY3DPEHPK3PXP", associated_data=b"x", ring=lost)
    )
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key(), old]):
        with pytest.raises(CommandError, match="could not be decrypted"):
            run("--dry-run")
        with pytest.raises(CommandError, match="could not be decrypted"):
            run()
        assert not any(crypto.needs_rotation(bytes(i.ciphertext)) for i in Identity.objects.all())
    event = AuditEvent.objects.get(action="keys.rotated")
    assert event.details["failed"] == 1 and event.details["totp_secrets"] == 0


@pytest.mark.django_db
def test_a_row_rewritten_meanwhile_is_not_overwritten(encrypted_with_old_key):
    """The re-check under the row lock: a value already on the current key (saved by an edit
    after the batch was read) is left alone."""
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    identity = Identity.objects.order_by("pk").first()
    assert identity is not None
    spec = next(f for f in FIELDS if f.kind == "identities")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key(), old]):
        ring = crypto.keyring()
        assert Command._rotate_row(spec, identity.pk, ring) == 1
        rotated = bytes(Identity.objects.get(pk=identity.pk).ciphertext)
        assert Command._rotate_row(spec, identity.pk, ring) == 0
        assert bytes(Identity.objects.get(pk=identity.pk).ciphertext) == rotated
