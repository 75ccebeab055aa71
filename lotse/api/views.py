"""Views of the REST API. Every read starts from a scope of :mod:`lotse.access` built from the
token's access context; every write goes through the services of the domain apps."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.access.cases import CaseAccess, access_for, cases_scope
from lotse.access.context import TenantAccessContext
from lotse.access.decorators import api_endpoint
from lotse.access.funding import positions_scope, report_tenants_scope
from lotse.access.permissions import Perm
from lotse.access.steering import barriers_scope, themes_scope
from lotse.api import serializers as s
from lotse.api.errors import Conflict
from lotse.api.models import ApiToken
from lotse.api.permissions import access_of
from lotse.cases.identity import FIELDS as IDENTITY_FIELDS
from lotse.cases.models import Barrier, Case, Contact, Goal, Referral
from lotse.cases.services import cases as case_services
from lotse.cases.services import work
from lotse.cases.services.identity import identity_read
from lotse.funding.models import Position
from lotse.network.models import Agency
from lotse.network.selectors import agencies_scope
from lotse.steering.models import Theme
from lotse.tenants.models import Location, Provider

CASE_READERS = (Perm.CASE_WORK, Perm.CASE_OVERSIGHT)


def parse_pk(raw: Any) -> int:
    try:
        pk = int(str(raw))
    except ValueError:
        raise Http404 from None
    if not 0 < pk <= s.MAX_ID:
        raise Http404
    return pk


class ApiViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Base of every API view set: marked for the access middleware, reads through
    ``scope()``, filters and orders only what the view whitelists."""

    required_perms: tuple[Perm, ...] = ()
    filter_serializer: type[Any] | None = None
    ordering_fields: tuple[str, ...] = ("id",)
    ordering: tuple[str, ...] = ("id",)
    model: Any = None
    # any id reaches the view, which answers 404 for what is not a positive integer
    lookup_value_regex = "[^/]+"

    @classmethod
    def as_view(cls, actions: Any = None, **initkwargs: Any) -> Any:
        return api_endpoint(super().as_view(actions, **initkwargs))

    @property
    def access(self) -> TenantAccessContext:
        return access_of(self.request)

    def scope(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.scope()

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        return qs.filter(**values)

    def get_object(self) -> Any:
        obj = self.get_queryset().filter(pk=parse_pk(self.kwargs.get("pk"))).first()
        if obj is None:
            raise Http404
        return obj

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and hasattr(self.request, "_request"):
            ctx = getattr(self.request._request, "access", None)
            context["oversight"] = isinstance(ctx, TenantAccessContext) and not ctx.has(Perm.CASE_WORK)
        return context


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


def require_case_work(ctx: TenantAccessContext) -> None:
    if not ctx.has(Perm.CASE_WORK):
        raise exceptions.PermissionDenied(_("Only case managers record case work."))


def require_writable(access: CaseAccess) -> None:
    """Restricted (Art. 18 GDPR), closed or waiting cases refuse every write with 409."""
    case = access.case
    if case.is_restricted:
        raise Conflict(
            _(
                "Processing of this case is restricted (Art. 18 GDPR); "
                "it is only stored until the restriction is lifted."
            )
        )
    if not access.work:
        raise Conflict(_("This case is closed or awaits the coordinator's decision; it cannot be changed now."))


def writable_case(ctx: TenantAccessContext, case_id: int) -> CaseAccess:
    """The case a new contact or goal belongs to: in scope (else 400, as for any unknown id)
    and open for work (else 409)."""
    case = cases_scope(ctx).filter(pk=case_id).first()
    if case is None:
        raise exceptions.NotFound(_("No such case (or not one of yours)."))
    access = access_for(ctx, case)
    require_writable(access)
    return access


# --- cases ---------------------------------------------------------------------------------------


@extend_schema(tags=["cases"])
class CaseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyApiViewSet):
    """Cases, pseudonymised: case managers their own (and substituted) cases, coordinators all
    cases of the tenant. The identity is a separate, audited resource."""

    model = Case
    serializer_class = s.CaseSerializer
    required_perms = CASE_READERS
    filter_serializer = s.CaseFilter
    ordering_fields = ("id", "number", "opened_on", "next_follow_up_on", "status")
    ordering = ("-opened_on", "-id")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scope(self) -> QuerySet[Case]:
        return cases_scope(self.access).select_related("provider")

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        if "status" in values:
            qs = qs.filter(status=values["status"])
        if "provider" in values:
            qs = qs.filter(provider_id=values["provider"])
        if "opened_from" in values:
            qs = qs.filter(opened_on__gte=values["opened_from"])
        if "opened_to" in values:
            qs = qs.filter(opened_on__lte=values["opened_to"])
        if "q" in values:
            qs = qs.filter(Q(number__icontains=values["q"]) | Q(pseudonym__icontains=values["q"]))
        return qs

    def _links(self, data: dict[str, Any], provider: Provider) -> dict[str, Any]:
        """The ids of location and referring agency, resolved inside the tenant (rules of
        ``CaseDetailsForm``)."""
        ctx = self.access
        fields: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        if "location" in data:
            location = None
            if data["location"] is not None:
                location = Location.objects.filter(
                    tenant=ctx.tenant, provider=provider, is_active=True, pk=data["location"]
                ).first()
                if location is None:
                    errors["location"] = [_("Choose an active location of the case's provider.")]
            fields["location"] = location
        if "intake_agency" in data:
            agency = None
            if data["intake_agency"] is not None:
                agency = agencies_scope(ctx).filter(is_active=True, pk=data["intake_agency"]).first()
                if agency is None:
                    errors["intake_agency"] = [_("Choose an active agency of the directory.")]
            fields["intake_agency"] = agency
        if errors:
            raise exceptions.ValidationError(errors)
        return fields

    @extend_schema(request=s.CaseWriteSerializer, responses={201: s.CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a case (Erstkontakt): case managers for themselves, coordinators for a provider
        (assigned later in the UI)."""
        ctx = self.access
        write = s.CaseWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        if ctx.has(Perm.CASE_WORK):
            provider = ctx.membership.provider
            case_manager_id = ctx.user.pk
        else:
            provider = Provider.objects.filter(tenant=ctx.tenant, is_active=True, pk=data.get("provider") or 0).first()
            case_manager_id = None
            if provider is None:
                raise exceptions.ValidationError({"provider": [_("Choose an active provider of the tenant.")]})
        if provider is None:
            raise exceptions.ValidationError({"detail": _("Your membership names no provider.")})
        links = self._links(data, provider)
        case = case_services.case_open(
            actor=ctx.user,
            tenant=ctx.tenant,
            case_manager_id=case_manager_id,
            provider=provider,
            pseudonym=data["pseudonym"],
            intake_channel=data["intake_channel"],
            location=links.get("location"),
            intake_agency=links.get("intake_agency"),
            languages=data.get("languages", ""),
            interpreter_needed=data.get("interpreter_needed", False),
            interpreter_language=data.get("interpreter_language", ""),
            opened_on=data.get("opened_on"),
        )
        case = self.scope().get(pk=case.pk)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CaseUpdateSerializer, responses={200: s.CaseSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the case details (``version`` required; 409 when stale, restricted or
        closed). PUT needs every detail field, PATCH only the changed ones."""
        ctx = self.access
        require_case_work(ctx)
        case = self.get_object()
        access = access_for(ctx, case)
        serializer = s.CasePatchSerializer if kwargs.get("partial", False) else s.CaseUpdateSerializer
        write = serializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        require_writable(access)
        current = {name: getattr(case, name) for name in case_services.CASE_DETAIL_FIELDS}
        current["location"] = case.location_id
        current["intake_agency"] = case.intake_agency_id
        merged = current | {k: v for k, v in data.items() if k in case_services.CASE_DETAIL_FIELDS}
        recheck = s.CaseWriteSerializer(data=merged)
        recheck.is_valid(raise_exception=True)
        changes = {k: merged[k] for k in case_services.CASE_DETAIL_FIELDS if k not in ("location", "intake_agency")}
        changes.update(self._links(merged, case.provider))
        case_services.case_update(case, actor=ctx.user, expected_version=data["version"], **changes)
        return Response(self.get_serializer(self.scope().get(pk=case.pk)).data)

    @extend_schema(request=s.CasePatchSerializer, responses={200: s.CaseSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={200: s.IdentitySerializer})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def identity(self, request: Request, pk: str | None = None) -> Response:
        """The client's identity: only for the responsible case manager (and the substitute);
        every read is written to the audit log. Coordinators get 403."""
        ctx = self.access
        case = self.get_object()
        access = access_for(ctx, case)
        if not access.identity:
            raise exceptions.PermissionDenied(_("Coordinators see cases pseudonymised; the identity stays hidden."))
        data = identity_read(access, actor=ctx.user)
        payload: dict[str, Any] = {"recorded": data is not None}
        for name in IDENTITY_FIELDS:
            payload[name] = (getattr(data, name) or None) if data is not None else None
        return Response(s.IdentitySerializer(payload).data)


# --- case work -----------------------------------------------------------------------------------


class CaseChildViewSet(ReadOnlyApiViewSet):
    required_perms = CASE_READERS
    ordering: tuple[str, ...] = ("-id",)

    def scope(self) -> QuerySet[Any]:
        return self.model.objects.filter(case__in=cases_scope(self.access))


@extend_schema(tags=["case work"])
class ContactViewSet(mixins.CreateModelMixin, CaseChildViewSet):
    """Contacts (Kontakte) of the cases in scope; notes are hidden from coordinators."""

    model = Contact
    serializer_class = s.ContactSerializer
    filter_serializer = s.ContactFilter
    ordering_fields = ("id", "occurred_on")
    ordering = ("-occurred_on", "-id")

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        lookups = {
            "case": "case_id",
            "kind": "kind",
            "occurred_from": "occurred_on__gte",
            "occurred_to": "occurred_on__lte",
        }
        return qs.filter(**{lookups[k]: v for k, v in values.items()})

    @extend_schema(request=s.ContactWriteSerializer, responses={201: s.ContactSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ctx = self.access
        require_case_work(ctx)
        write = s.ContactWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        access = writable_case(ctx, data.pop("case"))
        contact = work.contact_create(access.case, actor=ctx.user, **data)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["case work"])
class GoalViewSet(mixins.CreateModelMixin, CaseChildViewSet):
    """Goals (Zielvereinbarung) of the cases in scope; goal texts are hidden from coordinators."""

    model = Goal
    serializer_class = s.GoalSerializer
    filter_serializer = s.GoalFilter
    ordering_fields = ("id", "agreed_on", "domain")

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        return qs.filter(**{("case_id" if k == "case" else k): v for k, v in values.items()})

    @extend_schema(request=s.GoalWriteSerializer, responses={201: s.GoalSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ctx = self.access
        require_case_work(ctx)
        write = s.GoalWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        access = writable_case(ctx, data.pop("case"))
        goal = work.goal_create(access.case, actor=ctx.user, **data)
        return Response(self.get_serializer(goal).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["case work"])
class ReferralViewSet(CaseChildViewSet):
    """Referrals (Verweisberatung) of the cases in scope; notes hidden from coordinators."""

    model = Referral
    serializer_class = s.ReferralSerializer
    filter_serializer = s.ReferralFilter
    ordering_fields = ("id", "sent_on", "status")

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        lookups = {"case": "case_id", "status": "status", "agency": "agency_id"}
        return qs.filter(**{lookups[k]: v for k, v in values.items()})


@extend_schema(tags=["steering"])
class BarrierViewSet(ReadOnlyApiViewSet):
    """Barriers (Hemmnisse): coordinators the tenant's register, case managers those of their
    cases."""

    model = Barrier
    serializer_class = s.BarrierSerializer
    required_perms = (Perm.STEERING_MANAGE, Perm.CASE_WORK)
    filter_serializer = s.BarrierFilter
    ordering_fields = ("id", "recorded_on", "domain")
    ordering = ("-recorded_on", "-id")

    def scope(self) -> QuerySet[Barrier]:
        ctx = self.access
        if ctx.has(Perm.STEERING_MANAGE):
            return barriers_scope(ctx)
        return Barrier.objects.filter(tenant=ctx.tenant, case__in=cases_scope(ctx))

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        lookups = {"case": "case_id", "domain": "domain", "theme": "theme_id"}
        return qs.filter(**{lookups[k]: v for k, v in values.items()})


@extend_schema(tags=["steering"])
class ThemeViewSet(ReadOnlyApiViewSet):
    """Generative themes: coordinators all, committee members those of their bodies."""

    model = Theme

    serializer_class = s.ThemeSerializer
    required_perms = (Perm.THEME_VIEW,)
    filter_serializer = s.ThemeFilter
    ordering_fields = ("id", "title", "level", "due_on")
    ordering = ("title", "id")

    def scope(self) -> QuerySet[Any]:
        return themes_scope(self.access)


@extend_schema(tags=["network"])
class AgencyViewSet(ReadOnlyApiViewSet):
    """The partner directory of the tenant."""

    model = Agency

    serializer_class = s.AgencySerializer
    required_perms = (Perm.AGENCY_VIEW,)
    filter_serializer = s.AgencyFilter
    ordering_fields = ("id", "name", "kind")
    ordering = ("name", "id")

    def scope(self) -> QuerySet[Any]:
        return agencies_scope(self.access)

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        if "kind" in values:
            qs = qs.filter(kind=values["kind"])
        if "is_active" in values:
            qs = qs.filter(is_active=values["is_active"] == "true")
        if "q" in values:
            qs = qs.filter(Q(name__icontains=values["q"]) | Q(contact_person__icontains=values["q"]))
        return qs


@extend_schema(tags=["funding"])
class PositionViewSet(ReadOnlyApiViewSet):
    """Funded positions (Stellen): funding clerks and coordinators."""

    model = Position

    serializer_class = s.PositionSerializer
    required_perms = (Perm.FUNDING_VIEW,)
    filter_serializer = s.PositionFilter
    ordering_fields = ("id", "starts_on", "fte")

    def scope(self) -> QuerySet[Any]:
        return positions_scope(self.access)

    def apply_filters(self, qs: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
        lookups = {"provider": "provider_id", "programme": "programme_id", "position_type": "position_type"}
        return qs.filter(**{lookups[k]: v for k, v in values.items()})


# --- reports and the token itself ----------------------------------------------------------------


@extend_schema(tags=["reports"])
class ReportViewSet(ApiViewSet):
    """The state controlling indicators with small-cell suppression (counts below 5 shown as
    "< 5"): coordinators for their district, state analysts for every active district."""

    required_perms = (Perm.REPORTS_VIEW, Perm.CROSS_TENANT_AGGREGATES)
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(parameters=[s.ReportQuery], responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def controlling(self, request: Request) -> Response:
        from lotse.audit.services import audit_record
        from lotse.reports.controlling import build
        from lotse.reports.controlling_export import render_json
        from lotse.reports.forms import PeriodForm

        ctx = self.access
        if not report_tenants_scope(ctx).exists():
            raise exceptions.PermissionDenied
        query = s.ReportQuery(
            data={k: request.query_params[k] for k in ("date_from", "date_to", "tenant") if k in request.query_params}
        )
        query.is_valid(raise_exception=True)
        values = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in query.validated_data.items()}
        form = PeriodForm(values, ctx=ctx)
        if not form.is_valid():
            raise exceptions.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        period = form.period()
        report = build(ctx, period, form.tenant_ids())
        audit_record(
            action="report.controlling_exported",
            actor=ctx.user,
            tenant=ctx.tenant,
            details={"format": "api", "period": f"{period.start.isoformat()}:{period.end.isoformat()}"},
        )
        return Response(json.loads(render_json(report)))


@extend_schema(tags=["token"])
class MeViewSet(ApiViewSet):
    """Who the token acts as: user, tenant, role, expiry."""

    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(responses={200: s.MeSerializer})
    def me(self, request: Request) -> Response:
        ctx = self.access
        token = request.auth
        assert isinstance(token, ApiToken)
        payload = {
            "username": ctx.user.username,
            "tenant": ctx.tenant.slug,
            "role": ctx.membership.role,
            "provider": ctx.membership.provider_id,
            "token_name": token.name,
            "token_expires_at": token.expires_at,
        }
        return Response(s.MeSerializer(payload).data)
