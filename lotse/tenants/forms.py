from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.tenants.models import (
    PROVIDER_ROLES,
    STATE_ROLES,
    Location,
    Municipality,
    Provider,
    Role,
    Tenant,
    TenantKind,
)
from lotse.ui.forms import KernFormMixin, VersionField, choice_field, model_choice_field


def role_choices(tenant: Tenant) -> list[tuple[str, str]]:
    if tenant.kind == TenantKind.STATE:
        return [(v, str(label)) for v, label in Role.choices if v in STATE_ROLES]
    return [(v, str(label)) for v, label in Role.choices if v != Role.STATE_ANALYST]


class StaffFilterForm(KernFormMixin, forms.Form):
    mark_optional = False

    q = forms.CharField(label=_("Name or username"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False)
    provider = forms.ModelChoiceField(label=_("Provider"), required=False, queryset=Provider.objects.none())
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("active")),
            ("invited", _("invited, not yet accepted")),
            ("inactive", _("ended or deactivated")),
            ("all", _("all")),
        ],
    )

    def __init__(self, *args: Any, tenant: Tenant, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "role").choices = [("", _("all roles")), *role_choices(tenant)]
        provider = model_choice_field(self, "provider")
        provider.queryset = providers
        provider.empty_label = _("all providers")


class RoleForm(KernFormMixin, forms.Form):
    """Role and provider of a membership, with the roles the tenant's kind allows."""

    role = forms.ChoiceField(label=_("Role"))
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        required=False,
        queryset=Provider.objects.none(),
        help_text=_("Required for case managers and provider leads."),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        choice_field(self, "role").choices = [("", "–"), *role_choices(tenant)]
        model_choice_field(self, "provider").queryset = Provider.objects.filter(tenant=tenant, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role", "") in PROVIDER_ROLES and not data.get("provider"):
            self.add_error("provider", _("This role needs a provider."))
        return data


class StaffBaseForm(RoleForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address (work)"), required=False)
    field_order = ["first_name", "last_name", "email", "role", "provider"]


class StaffCreateForm(StaffBaseForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[a-zA-Z0-9.@+_-]+$",
        help_text=_("Letters, digits and . @ + - _ only, e.g. k.mueller."),
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "provider"]


class StaffAddExistingForm(RoleForm):
    """Invite a person who already has a Lotse account (in another tenant) to a role here."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address of the account"),
        help_text=_("Must match the e-mail address stored with the account, as a check against typing errors."),
    )
    field_order = ["username", "email", "role", "provider"]


class StaffEditForm(StaffBaseForm):
    version = VersionField()
    user_version = VersionField()

    def __init__(self, *args: Any, account_editable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not account_editable:
            # name and e-mail belong to the account, which other tenants share: shown, not editable
            for name in ("first_name", "last_name", "email"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Managed by the administrators of every tenant this person works in.")


class ProviderForm(KernFormMixin, forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Provider
        fields = ["name", "kind", "municipality", "is_contracted", "is_active"]

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        model_choice_field(self, "municipality").queryset = Municipality.objects.filter(tenant=tenant)

    def clean_name(self) -> str:
        return _unique_name(self, Provider)


class LocationForm(KernFormMixin, forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Location
        fields = ["name", "provider", "municipality", "street", "postal_code", "city", "is_active"]

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        model_choice_field(self, "provider").queryset = Provider.objects.filter(tenant=tenant)
        model_choice_field(self, "municipality").queryset = Municipality.objects.filter(tenant=tenant)

    def clean_name(self) -> str:
        return _unique_name(self, Location)


class MunicipalityForm(KernFormMixin, forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Municipality
        fields = ["name", "ags", "is_active"]

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant

    def clean_name(self) -> str:
        return _unique_name(self, Municipality)


def _unique_name(form: Any, model: type) -> str:
    """Names are unique per tenant regardless of case (compared in Python: SQLite's case-folding
    covers ASCII only, and a tenant has at most a few hundred such records)."""
    name = form.cleaned_data["name"].strip()
    others = model.objects.filter(tenant=form.tenant)  # type: ignore[attr-defined]
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
        raise forms.ValidationError(_("This name is already used in this tenant."))
    return name
