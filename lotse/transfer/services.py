"""Writes of import and export.

* :func:`upload_check` stores an uploaded case list (encrypted, bound to its uploader) with the
  report of its dry run; :func:`upload_import` runs the real import of a stored list and deletes
  it; expired lists go with :func:`uploads_purge`.
* :func:`cases_import` is the import itself (also used by ``manage.py import_cases``): a dry run
  returns the report only; a real run writes every row or none, with one audit event.
"""

from __future__ import annotations

import datetime
import json
import zlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.audit.services import audit_record
from lotse.core import crypto
from lotse.tenants.models import Tenant
from lotse.transfer import case_import
from lotse.transfer.case_import import Problem, Report
from lotse.transfer.conf import upload_minutes
from lotse.transfer.models import ImportUpload


def cases_import(
    data: bytes,
    *,
    tenant: Tenant,
    actor: Any,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[Report, int]:
    """Check the whole file; unless ``dry_run`` and only if every row is valid, write all rows
    in one transaction. Returns the report and the number of cases written (0 on any problem)."""
    report, rows = case_import.validate(data, tenant=tenant)
    if dry_run or not report.ok:
        return report, 0
    return report, case_import.write(rows, tenant=tenant, actor=actor, progress=progress)


# --- stored uploads between dry run and real run ----------------------------------------------


def _aad(upload: ImportUpload, part: str) -> bytes:
    return f"transfer.upload:{upload.token}:{part}".encode()


def _pack(report: Report) -> bytes:
    body = {
        "rows": report.rows,
        "with_identity": report.with_identity,
        "truncated": report.truncated,
        "problems": [[p.row, p.column, p.problem, p.value] for p in report.problems],
    }
    return zlib.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _unpack(raw: bytes) -> Report:
    body = json.loads(zlib.decompress(raw).decode("utf-8"))
    return Report(
        rows=body["rows"],
        with_identity=body["with_identity"],
        truncated=body["truncated"],
        problems=[Problem(*p) for p in body["problems"]],
    )


def _require_import(ctx: AccessContext) -> None:
    if ctx.tenant is None or not ctx.has(Perm.CASE_IMPORT):
        raise PermissionDenied


def upload_check(ctx: AccessContext, *, data: bytes) -> tuple[ImportUpload, Report]:
    """Dry run of an uploaded list; the file and its report are kept encrypted for the real run."""
    _require_import(ctx)
    report, _written = cases_import(data, tenant=ctx.tenant, actor=ctx.user, dry_run=True)  # type: ignore[arg-type]
    with transaction.atomic():
        upload = ImportUpload(tenant=ctx.tenant, created_by=ctx.user, size=len(data))
        upload.ciphertext = crypto.encrypt(zlib.compress(data, 1), associated_data=_aad(upload, "file"))
        upload.report_ciphertext = crypto.encrypt(_pack(report), associated_data=_aad(upload, "report"))
        upload.save()
    return upload, report


def upload_find(ctx: AccessContext, token: str | None) -> ImportUpload | None:
    """The acting user's own stored upload of this tenant, unless expired."""
    if not token or ctx.tenant is None:
        return None
    limit = timezone.now() - datetime.timedelta(minutes=upload_minutes())
    try:
        return ImportUpload.objects.filter(
            token=token, tenant=ctx.tenant, created_by=ctx.user, created_at__gte=limit
        ).first()
    except Exception:  # a malformed token from the session
        return None


def upload_report(upload: ImportUpload) -> Report:
    return _unpack(crypto.decrypt(bytes(upload.report_ciphertext), associated_data=_aad(upload, "report")))


def upload_import(ctx: AccessContext, upload: ImportUpload) -> tuple[Report, int]:
    """The real run of a stored list. On success the upload is deleted in the same
    transaction; on problems (e.g. a case number taken meanwhile) the report is updated."""
    _require_import(ctx)
    data = zlib.decompress(crypto.decrypt(bytes(upload.ciphertext), associated_data=_aad(upload, "file")))
    with transaction.atomic():
        report, written = cases_import(data, tenant=ctx.tenant, actor=ctx.user, dry_run=False)  # type: ignore[arg-type]
        if written:
            upload.delete()
        else:
            upload.report_ciphertext = crypto.encrypt(_pack(report), associated_data=_aad(upload, "report"))
            upload.save(update_fields=["report_ciphertext"])
    return report, written


def upload_discard(ctx: AccessContext, upload: ImportUpload) -> None:
    _require_import(ctx)
    upload.delete()


def uploads_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete every stored upload older than the expiry; returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(minutes=upload_minutes())
    deleted, _rows = ImportUpload.objects.filter(created_at__lt=limit).delete()
    return deleted


def export_record(ctx: AccessContext, *, kind: str, fmt: str) -> None:
    """One audit event per export of a list."""
    audit_record(
        action="transfer.list_exported", actor=ctx.user, tenant=ctx.tenant, details={"list": kind, "format": fmt}
    )
