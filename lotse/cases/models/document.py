"""Documents uploaded to a case: stored encrypted outside the web root under a server-chosen
name; the original file name is encrypted too (it often carries the client's name)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.models.case import Case


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    name_ciphertext = models.BinaryField(editable=False)
    title = models.CharField(_("title"), max_length=200)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
