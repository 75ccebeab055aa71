"""Forms of import and export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.ui.forms import KernFormMixin

ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ImportUploadForm(KernFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Case list (XLSX or CSV)"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("Use the column names of the template. Nothing is imported yet: you first see the check."),
        error_messages={"required": _("Choose a file to upload.")},
    )
