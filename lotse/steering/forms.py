"""Forms of strategic steering. They validate input; the services (:mod:`lotse.steering.services`)
check again and write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.access.context import TenantAccessContext
from lotse.cases.domains import LifeDomain
from lotse.cases.models import Barrier
from lotse.committees.models import Body
from lotse.steering import selectors
from lotse.steering.models import DEFAULT_LEVEL_NAMES, LEVELS, StaircaseSettings, Theme, ThemeStatus
from lotse.tenants.models import Municipality, Provider, Tenant
from lotse.ui.forms import KernFormMixin, VersionField, choice_field, model_choice_field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


MAX_ID = 2**63 - 1


class IdListField(forms.Field):
    """The ids of the rows ticked in a table (``<input type=checkbox name=… value=id>``); the
    checkboxes are drawn by the table, not by the field."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("The selection is not valid. Reload the page and select again.")}

    def to_python(self, value: Any) -> list[int]:
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            ids = sorted({int(v) for v in value})
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        # database ids are positive 64-bit integers; anything else is no row of this table
        if ids and (ids[0] < 1 or ids[-1] > MAX_ID):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.level})"


def level_field(
    staircase: StaircaseSettings, *, label: Any, levels: tuple[int, ...] = LEVELS, current: int | None = None
) -> forms.Field:
    """A choice of levels shown with the tenant's names; ``current`` is marked as such."""
    names: dict[int, Any] = dict(staircase.level_choices())
    if current in names:
        names[current] = _("%(level)s (current level)") % {"level": names[current]}
    return forms.TypedChoiceField(
        label=label, coerce=int, choices=[("", "–"), *((level, names[level]) for level in levels)]
    )


# --- barrier register -----------------------------------------------------------------------


class BarrierFilterForm(KernFormMixin, forms.Form):
    mark_optional = False

    domain = forms.ChoiceField(label=_("Life domain"), required=False)
    institution = forms.CharField(label=_("Institution"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False, empty_label=_("all")
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, empty_label=_("all")
    )
    date_from = forms.DateField(label=_("Recorded from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Recorded until"), required=False, widget=DateInput())
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args: Any, tenant: Tenant, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "domain").choices = [("", _("all")), *LifeDomain.choices]
        model_choice_field(self, "municipality").queryset = Municipality.objects.filter(tenant=tenant).order_by(
            "name", "pk"
        )
        model_choice_field(self, "provider").queryset = Provider.objects.filter(tenant=tenant).order_by("name", "pk")
        choice_field(self, "theme").choices = [
            ("", _("all")),
            ("none", _("without a theme")),
            ("any", _("with a theme")),
            *((str(pk), title) for pk, title in themes.values_list("pk", "title")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period lies before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "domain": data["domain"],
            "institution": data["institution"],
            "municipality_id": data["municipality"].pk if data["municipality"] else None,
            "provider_id": data["provider"].pk if data["provider"] else None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "theme": data["theme"],
        }


def barrier_register_filtered(ctx: TenantAccessContext, data: Any) -> tuple[BarrierFilterForm, QuerySet[Barrier]]:
    """The filter form of the barrier register and the barriers it selects, for the register
    page and its export alike (``data`` None: unfiltered; invalid filters: unfiltered too)."""
    form = BarrierFilterForm(data, tenant=ctx.tenant, themes=selectors.groupable_themes(ctx))
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    return form, selectors.barrier_register(ctx, **filters)


class BarrierAssignForm(KernFormMixin, forms.Form):
    """Group the ticked barriers into an existing theme or a new one."""

    mark_optional = False  # one of both is needed, neither alone

    barriers = IdListField(required=False)
    theme = ThemeChoiceField(
        label=_("Existing theme"), queryset=Theme.objects.none(), required=False, empty_label=_("– none –")
    )
    title = forms.CharField(label=_("or a new theme with this title"), required=False, max_length=200)
    back = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "theme").queryset = themes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "theme" in data and bool(data.get("theme")) == bool((data.get("title") or "").strip()):
            raise forms.ValidationError(_("Choose an existing theme or enter the title of a new theme (one of both)."))
        return data


class BarrierSelectionForm(forms.Form):
    """The ticked barriers of a theme (remove from the theme)."""

    barriers = IdListField(required=False)


# --- themes ---------------------------------------------------------------------------------


def description_field() -> forms.CharField:
    return forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The structural problem in general terms: no names, no case details."),
    )


def body_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Responsible body"), queryset=Body.objects.none(), required=False)


class ThemeCreateForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = description_field()
    responsible_body = body_field()
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, staircase: StaircaseSettings, bodies: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "responsible_body").queryset = bodies
        self.fields["level"] = level_field(staircase, label=_("Level on the staircase"))
        self.fields["level"].initial = 1
        self.order_fields(["title", "description", "level", "responsible_body", "next_step", "due_on"])
        self.style_fields()


class ThemeEditForm(KernFormMixin, forms.Form):
    version = VersionField(required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = description_field()
    responsible_body = body_field()
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ThemeStatus.ACTIVE, ThemeStatus.ACTIVE.label), (ThemeStatus.RESOLVED, ThemeStatus.RESOLVED.label)],
    )

    FIELDS = ("title", "description", "responsible_body", "next_step", "due_on", "status")

    def __init__(self, *args: Any, bodies: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "responsible_body").queryset = bodies

    @classmethod
    def initial_for(cls, theme: Theme) -> dict[str, Any]:
        return {"version": theme.version, **{name: getattr(theme, name) for name in cls.FIELDS}}

    def theme_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ThemeMoveForm(KernFormMixin, forms.Form):
    """A move on the staircase: new level, reason, date; optionally the plan that goes with it."""

    version = VersionField(required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the theme moves, e.g. the decision or the result of the clarification."),
    )
    occurred_on = forms.DateField(label=_("Date of the move"), widget=DateInput(), initial=timezone.localdate)
    responsible_body = body_field()
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())

    PLAN = ("responsible_body", "next_step", "due_on")

    def __init__(
        self, *args: Any, theme: Theme, staircase: StaircaseSettings, bodies: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.theme = theme
        self.fields["level"] = level_field(staircase, label=_("New level"), current=theme.level)
        model_choice_field(self, "responsible_body").queryset = bodies
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.order_fields(["level", "reason", "occurred_on", *self.PLAN])
        self.style_fields()

    @classmethod
    def initial_for(cls, theme: Theme) -> dict[str, Any]:
        return {"version": theme.version, **{name: getattr(theme, name) for name in cls.PLAN}}

    def clean_level(self) -> int:
        level: int = self.cleaned_data["level"]
        if level == self.theme.level:
            raise forms.ValidationError(_("The theme is already on this level. Choose another level."))
        return level

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the move cannot lie in the future."))
        return day

    def plan(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.PLAN}


class ThemeMergeForm(KernFormMixin, forms.Form):
    other = ThemeChoiceField(label=_("Theme to merge into this one"), queryset=Theme.objects.none())

    def __init__(self, *args: Any, theme: Theme, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme = theme
        field = model_choice_field(self, "other")
        # the theme itself is accepted by the field, so that choosing it gets a clear message
        field.queryset = themes
        field.choices = [("", "–"), *((t.pk, field.label_from_instance(t)) for t in themes.exclude(pk=theme.pk))]

    def clean_other(self) -> Theme:
        other: Theme = self.cleaned_data["other"]
        if other.pk == self.theme.pk:
            raise forms.ValidationError(_("A theme cannot be merged into itself. Choose another theme."))
        return other


class ThemeSplitForm(KernFormMixin, forms.Form):
    barriers = IdListField(
        label=_("Barriers"), required=True, error_messages={"required": _("Select at least one barrier.")}
    )
    title = forms.CharField(label=_("Title of the new theme"), max_length=200)


# --- staircase settings ---------------------------------------------------------------------


class StaircaseSettingsForm(KernFormMixin, forms.Form):
    version = VersionField(required=False)
    escalate_cases = forms.IntegerField(
        label=_("Suggest escalation from this many cases"),
        min_value=1,
        max_value=100000,
    )
    escalate_providers = forms.IntegerField(
        label=_("… or from this many providers"),
        min_value=1,
        max_value=1000,
    )

    NAMES = tuple(f"level_{level}" for level in LEVELS)
    FIELDS = (*NAMES, "escalate_cases", "escalate_providers", "escalate_below_level")

    def __init__(self, *args: Any, staircase: StaircaseSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in LEVELS:
            self.fields[f"level_{level}"] = forms.CharField(
                label=_("Name of level %(level)s") % {"level": level},
                required=False,
                max_length=120,
                help_text=_("Leave blank for the default: %(name)s") % {"name": DEFAULT_LEVEL_NAMES[level]},
            )
        self.fields["escalate_below_level"] = level_field(
            staircase, label=_("… while the theme is below level"), levels=(2, 3, 4, 5)
        )
        self.order_fields(["version", *self.FIELDS])
        self.style_fields()

    @classmethod
    def initial_for(cls, staircase: StaircaseSettings) -> dict[str, Any]:
        return {"version": staircase.version, **{name: getattr(staircase, name) for name in cls.FIELDS}}

    def settings_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
