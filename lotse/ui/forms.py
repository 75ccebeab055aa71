"""KERN-UX markup for Django forms: a renderer with our field and form templates, and a mixin
that puts KERN classes and ARIA links (hint, error) on every widget."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


def _widget_class(widget: forms.Widget) -> str | None:
    if isinstance(widget, forms.CheckboxInput):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "kern-form-check__radio"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.Select):
        return "kern-form-input__select"
    if isinstance(widget, forms.widgets.Input | forms.Textarea):
        return "kern-form-input__input"
    return None


class KernFormMixin:
    """Add to every Lotse form (``class MyForm(KernFormMixin, forms.Form)``)."""

    fields: dict[str, forms.Field]
    # "– optional" after labels; filter forms, where every field is optional, switch it off.
    mark_optional = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.style_fields()

    def style_fields(self) -> None:
        """Put the KERN classes on every widget; forms that add fields after ``__init__`` of
        this mixin call it again (idempotent)."""
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                field.empty_label = "–"
            css = _widget_class(field.widget)
            existing = field.widget.attrs.get("class", "")
            if css and css not in existing.split():
                field.widget.attrs["class"] = f"{existing} {css}".strip()

    def full_clean(self) -> None:
        self.style_fields()
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name not in self.fields:
                continue
            bound = self[name]  # type: ignore[index]
            widget = self.fields[name].widget
            widget.attrs["aria-invalid"] = "true"
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(described)
            if isinstance(widget, forms.Select):
                widget.attrs["class"] += " kern-form-input__select--error"
            elif isinstance(widget, forms.widgets.Input | forms.Textarea) and not isinstance(
                widget, forms.CheckboxInput
            ):
                widget.attrs["class"] += " kern-form-input__input--error"


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, typed (``form.fields`` is typed as plain ``Field``)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class VersionField(forms.IntegerField):
    """Hidden field with the record version the editor loaded (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
