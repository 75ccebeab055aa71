"""``manage.py rotate_keys``: re-encrypt with the current key every value still encrypted with an
older key of ``FIELD_ENCRYPTION_KEYS`` (client identities, authenticator secrets, document
names and document files).

Procedure (docs/operations.md): put the new key *first* in ``LOTSE_FIELD_ENCRYPTION_KEYS`` and
keep the old one behind it, restart, run ``rotate_keys`` (``--dry-run`` first to see the
counts), run it once more to confirm that nothing is left, and only then remove the old key.

Rows are read in batches of 500 by primary key; each value is re-encrypted in its own short
transaction after locking and re-reading the row, so concurrent edits (which always encrypt
with the current key) are never overwritten. Running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from lotse.accounts.models import TotpDevice
from lotse.accounts.totp import associated_data as totp_associated_data
from lotse.audit.services import audit_record
from lotse.cases import storage
from lotse.cases.identity import associated_data as identity_associated_data
from lotse.cases.models import Document, Identity
from lotse.cases.services.documents import name_associated_data as document_name_associated_data
from lotse.core import crypto

BATCH = 500


@dataclass(frozen=True)
class EncryptedField:
    """One encrypted column: where it is and what associated data binds each value."""

    kind: str  # name in the output and in the audit details
    model: type[models.Model]
    field: str
    associated_data: Callable[[Any], bytes]
    columns: tuple[str, ...]  # what the associated data needs


FIELDS: tuple[EncryptedField, ...] = (
    EncryptedField(
        "identities", Identity, "ciphertext", lambda row: identity_associated_data(row.case_id), ("case_id",)
    ),
    EncryptedField(
        "totp_secrets", TotpDevice, "secret_encrypted", lambda row: totp_associated_data(row.user_id), ("user_id",)
    ),
    EncryptedField(
        "document_names",
        Document,
        "name_ciphertext",
        lambda row: document_name_associated_data(row.storage_name),
        ("storage_name",),
    ),
)
FILES = "document_files"


def _batches(queryset: models.QuerySet[Any]) -> Iterator[list[Any]]:
    """The rows in primary-key order, ``BATCH`` at a time (keyset paging: no cursor stays open
    while rows are written, and rows changed meanwhile are neither skipped nor repeated)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


class Command(BaseCommand):
    help = "Re-encrypt every value still encrypted with an older key of FIELD_ENCRYPTION_KEYS with the current key."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be re-encrypted.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        dry_run: bool = options["dry_run"]
        ring = crypto.keyring()
        counts: dict[str, int] = {}
        failures: list[str] = []
        for spec in FIELDS:
            counts[spec.kind] = self._rotate_field(spec, ring, dry_run, failures)
        counts[FILES] = self._rotate_files(ring, dry_run, failures)

        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} {verb}")
        total = sum(counts.values())
        if total == 0 and not failures:
            self.stdout.write(self.style.SUCCESS("Nothing to re-encrypt: every value uses the current key."))
        if not dry_run and (total or failures):
            audit_record(
                action="keys.rotated",
                details={**counts, "failed": len(failures), "key_id": ring.key_id(ring.current).hex()},
            )
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(
                f"{len(failures)} value(s) could not be decrypted with any key of the ring; "
                "keep the old key until they are resolved."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        elif total:
            self.stdout.write(self.style.SUCCESS(f"Done: {total} value(s) now use the current key."))

    def _rotate_field(self, spec: EncryptedField, ring: crypto.KeyRing, dry_run: bool, failures: list[str]) -> int:
        changed = 0
        manager = spec.model._default_manager
        queryset = manager.only("pk", spec.field, *spec.columns)
        for rows in _batches(queryset):
            for row in rows:
                token = bytes(getattr(row, spec.field))
                if not crypto.needs_rotation(token, ring=ring):
                    continue
                try:
                    if dry_run:  # decrypt only, to find what the ring cannot read
                        crypto.decrypt(token, associated_data=spec.associated_data(row), ring=ring)
                        changed += 1
                    else:
                        changed += self._rotate_row(spec, row.pk, ring)
                except crypto.DecryptionError:
                    failures.append(f"{spec.kind}: {spec.model._meta.label_lower} {row.pk} cannot be decrypted")
        return changed

    @staticmethod
    def _rotate_row(spec: EncryptedField, pk: Any, ring: crypto.KeyRing) -> int:
        """Lock the row, check again (it may have been rewritten since it was read) and
        re-encrypt. Returns 1 if the value was changed."""
        with transaction.atomic():
            manager = spec.model._default_manager
            row = manager.select_for_update().only("pk", spec.field, *spec.columns).filter(pk=pk).first()
            if row is None:
                return 0  # deleted meanwhile
            token = bytes(getattr(row, spec.field))
            if not crypto.needs_rotation(token, ring=ring):
                return 0
            associated_data = spec.associated_data(row)
            plaintext = crypto.decrypt(token, associated_data=associated_data, ring=ring)
            fresh = crypto.encrypt(plaintext, associated_data=associated_data, ring=ring)
            manager.filter(pk=pk).update(**{spec.field: fresh})
            return 1

    @staticmethod
    def _rotate_files(ring: crypto.KeyRing, dry_run: bool, failures: list[str]) -> int:
        changed = 0
        for rows in _batches(Document.objects.only("pk", "storage_name")):
            for document in rows:
                name = document.storage_name
                try:
                    if dry_run:
                        if storage.needs_reencryption(name):
                            storage.read(name)  # decrypts, to find what the ring cannot read
                            changed += 1
                    else:
                        changed += storage.reencrypt(name)
                except storage.MissingFileError:
                    if Document.objects.filter(pk=document.pk).exists():
                        failures.append(f"{FILES}: file of cases.document {document.pk} is missing")
                except storage.CorruptFileError:
                    failures.append(f"{FILES}: file of cases.document {document.pk} cannot be decrypted")
        return changed
