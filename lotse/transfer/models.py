"""An uploaded case list between the dry run and the real run: encrypted at rest, bound to the
coordinator who uploaded it, deleted after the import or after ``LOTSE_IMPORT_UPLOAD_MINUTES``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from lotse.tenants.models import Tenant


class ImportUpload(models.Model):
    """Hochgeladene Fallliste (verschlüsselt, kurzlebig)."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    size = models.PositiveIntegerField()
    # the file and the dry-run report, each one AES-GCM value bound to this upload
    ciphertext = models.BinaryField()
    report_ciphertext = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="transfer_upload_created")]

    def __str__(self) -> str:
        return f"upload {self.token}"
