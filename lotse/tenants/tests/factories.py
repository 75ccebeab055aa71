"""factory_boy factories for tenants, structure and memberships."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from lotse.tenants.models import (
    Location,
    Membership,
    Municipality,
    Provider,
    ProviderKind,
    Role,
    Tenant,
    TenantKind,
)


class TenantFactory(DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Kreis Test {n}")
    slug = factory.Sequence(lambda n: f"kreis-test-{n}")
    kind = TenantKind.DISTRICT

    @factory.post_generation
    def audit_chain(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """Like ``tenants.services.tenant_create``: a tenant's chain starts with its creation."""
        from lotse.audit.models import AuditEvent, tenant_chain
        from lotse.audit.services import audit_record

        if create and not AuditEvent.objects.filter(chain=tenant_chain(self.pk)).exists():
            audit_record(action="tenant.created", tenant=self, obj=self)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Gemeinde {n}")


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Träger {n}")
    kind = ProviderKind.MUNICIPALITY


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    tenant = factory.SubFactory(TenantFactory)
    provider = factory.SubFactory(ProviderFactory, tenant=factory.SelfAttribute("..tenant"))
    name = factory.Sequence(lambda n: f"Anlaufstelle {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("lotse.accounts.tests.factories.UserFactory")
    tenant = factory.SubFactory(TenantFactory)
    role = Role.CASE_MANAGER
    accepted_at = factory.LazyFunction(timezone.now)
    provider = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in (Role.CASE_MANAGER, Role.PROVIDER_LEAD)),
        yes_declaration=factory.SubFactory(ProviderFactory, tenant=factory.SelfAttribute("..tenant")),
        no_declaration=None,
    )
