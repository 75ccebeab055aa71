"""The upload form of a case's documents. It only collects title and file: what a file may be
(type by content, size, emptiness) is decided by :func:`lotse.cases.services.documents.document_upload`,
whose messages are put on the fields (:meth:`DocumentUploadForm.add_service_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.cases.filetypes import ACCEPT_ATTRIBUTE, ACCEPTED
from lotse.cases.models import Document
from lotse.ui.forms import KernFormMixin

# Codes of the service's ValidationErrors that concern the file (lotse.cases.filetypes and
# lotse.cases.services.documents); "title" concerns the title; anything else the whole form.
FILE_ERROR_CODES = frozenset({"file_type", "empty", "too_large", "macros", "pdf", "pdf_active"})
TITLE_ERROR_CODES = frozenset({"title"})


def accepted_types_label() -> str:
    """ "PDF, PNG, JPG, …" for the hint under the file field."""
    return ", ".join(extension.upper() for extension in ACCEPTED.values())


class DocumentUploadForm(KernFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=Document._meta.get_field("title").max_length,
        help_text=_("What the document is, e.g. “Notice of the job centre, March”."),
    )
    file = forms.FileField(
        label=_("File"),
        # Empty files reach the service, which refuses them with its own message.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form, so that the hint follows the current settings and language.
        self.fields["file"].help_text = gettext("Accepted: %(types)s. At most %(limit)s per file.") % {
            "types": accepted_types_label(),
            "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
        }

    def add_service_error(self, exc: ValidationError) -> None:
        """Show a refusal of the upload service on the field it concerns."""
        code = getattr(exc, "code", None)
        field = "file" if code in FILE_ERROR_CODES else "title" if code in TITLE_ERROR_CODES else None
        self.add_error(field, exc)
        if field is not None:
            self._mark_invalid(field)

    def _mark_invalid(self, name: str) -> None:
        """What :class:`KernFormMixin` does for errors found while cleaning, for an error added
        afterwards: the field is announced as invalid and linked to its message."""
        bound = self[name]
        widget = self.fields[name].widget
        widget.attrs["aria-invalid"] = "true"
        described = [f"{bound.auto_id}_error"]
        if self.fields[name].help_text:
            described.insert(0, f"{bound.auto_id}_helptext")
        widget.attrs["aria-describedby"] = " ".join(described)
        css = widget.attrs.get("class", "")
        if "kern-form-input__input--error" not in css:
            widget.attrs["class"] = f"{css} kern-form-input__input--error".strip()
