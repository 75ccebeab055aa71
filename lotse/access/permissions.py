"""What each role may do, as coarse permissions. Object-level rules (which provider, which case,
which tenant) live in :mod:`lotse.access.policy`; both are used only through this package."""

from __future__ import annotations

from enum import StrEnum

from lotse.tenants.models import Role


class Perm(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"
    STAFF_VIEW = "staff.view"
    STAFF_MANAGE = "staff.manage"
    STRUCTURE_VIEW = "structure.view"
    STRUCTURE_MANAGE = "structure.manage"
    AUDIT_VIEW = "audit.view"
    CROSS_TENANT_AGGREGATES = "aggregates.cross_tenant"
    # Case management: case managers work cases (own and substituted); coordinators oversee all
    # cases of the tenant pseudonymised. Object rules: lotse.access.cases.
    CASE_WORK = "case.work"
    CASE_OVERSIGHT = "case.oversight"
    AGENCY_VIEW = "agency.view"
    AGENCY_MANAGE = "agency.manage"
    CASE_SETTINGS_MANAGE = "case_settings.manage"
    # Strategic steering: coordinators keep the barrier register, themes and bodies; committee
    # members and other seat holders read their bodies (object rules: lotse.access.steering).
    STEERING_MANAGE = "steering.manage"
    THEME_VIEW = "theme.view"
    COMMITTEE_VIEW = "committee.view"
    SUPERVISION_VIEW = "supervision.view"
    # Funding and reporting: funding clerks keep the funding records (no case data); coordinators
    # read them and produce the reports (object rules: lotse.access.funding).
    FUNDING_MANAGE = "funding.manage"
    FUNDING_VIEW = "funding.view"
    REPORTS_VIEW = "reports.view"
    # Platform: the data-protection officer's GDPR operations (access request, rectification,
    # restriction, erasure, retention; object rules: lotse.access.privacy); importing case lists.
    PRIVACY_MANAGE = "privacy.manage"
    CASE_IMPORT = "case.import"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.CASE_MANAGER: frozenset({Perm.DASHBOARD_VIEW, Perm.CASE_WORK, Perm.AGENCY_VIEW, Perm.COMMITTEE_VIEW}),
    Role.COORDINATOR: frozenset(
        {
            Perm.DASHBOARD_VIEW,
            Perm.STAFF_VIEW,
            Perm.STRUCTURE_VIEW,
            Perm.CASE_OVERSIGHT,
            Perm.AGENCY_VIEW,
            Perm.AGENCY_MANAGE,
            Perm.STEERING_MANAGE,
            Perm.THEME_VIEW,
            Perm.COMMITTEE_VIEW,
            Perm.SUPERVISION_VIEW,
            Perm.FUNDING_VIEW,
            Perm.REPORTS_VIEW,
            Perm.CASE_IMPORT,
        }
    ),
    Role.PROVIDER_LEAD: frozenset(
        {Perm.DASHBOARD_VIEW, Perm.STAFF_VIEW, Perm.STRUCTURE_VIEW, Perm.COMMITTEE_VIEW, Perm.SUPERVISION_VIEW}
    ),
    Role.FUNDING_CLERK: frozenset({Perm.DASHBOARD_VIEW, Perm.STRUCTURE_VIEW, Perm.FUNDING_VIEW, Perm.FUNDING_MANAGE}),
    Role.COMMITTEE_MEMBER: frozenset({Perm.DASHBOARD_VIEW, Perm.THEME_VIEW, Perm.COMMITTEE_VIEW}),
    Role.DATA_PROTECTION_OFFICER: frozenset({Perm.DASHBOARD_VIEW, Perm.AUDIT_VIEW, Perm.PRIVACY_MANAGE}),
    Role.TENANT_ADMIN: frozenset(
        {
            Perm.DASHBOARD_VIEW,
            Perm.STAFF_VIEW,
            Perm.STAFF_MANAGE,
            Perm.STRUCTURE_VIEW,
            Perm.STRUCTURE_MANAGE,
            Perm.CASE_SETTINGS_MANAGE,
        }
    ),
    Role.STATE_ANALYST: frozenset({Perm.DASHBOARD_VIEW, Perm.CROSS_TENANT_AGGREGATES}),
}


def role_has(role: str | None, perm: Perm) -> bool:
    return role is not None and perm in ROLE_PERMISSIONS.get(role, frozenset())
