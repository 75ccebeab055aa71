"""Forms of the quality-circle review: picking a case by its number, confirming a removal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.ui.forms import KernFormMixin


class ReviewPickForm(KernFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        help_text=_("As shown in the case list. The reviewers see the case under a label only."),
        error_messages={"required": _("Enter the case number.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class ReviewRemoveForm(forms.Form):
    """The explicit confirmation a removal needs (``confirm=1``)."""

    confirm = forms.BooleanField(required=True)
