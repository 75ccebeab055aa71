"""The REST API: tenant isolation, identity only for the case manager (audited), read-only
fields, token validity, role scopes, pagination/filter/ordering, bad input and query counts."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from lotse.api.models import ApiToken
from lotse.api.tokens import token_create, token_revoke
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case
from lotse.cases.services import cases as case_services
from lotse.tenants.models import Membership, Role

pytestmark = pytest.mark.django_db

LISTS = ["cases", "contacts", "goals", "referrals", "barriers", "themes", "agencies", "positions"]


def token_for(world: World, role: str, tenant: str = "wesel") -> str:
    user = world.user(role, tenant)
    membership = Membership.objects.get(user=user, tenant=getattr(world, tenant).tenant)
    return token_create(actor=user, membership=membership, name="test").secret


def api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return client.generic(method, f"/api/v1/{path}", json.dumps(body or {}), content_type="application/json")


def ids(client: Client, path: str) -> set[int]:
    response = client.get(f"/api/v1/{path}/", {"page_size": 200})
    assert response.status_code in (200, 403), (path, response.status_code)
    return {row["id"] for row in response.json()["results"]} if response.status_code == 200 else set()


def coesfeld_objects(world: World) -> dict[str, list[int]]:
    c = world.coesfeld
    return {
        "cases": [c.case.pk],
        "contacts": [c.objects["contact"].pk],
        "goals": [c.objects["goal"].pk],
        "referrals": [c.objects["referral"].pk],
        "barriers": [c.objects["barrier"].pk],
        "themes": [c.objects["theme"].pk],
        "agencies": [c.agency.pk],
        "positions": [c.objects["position"].pk],
    }


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.STATE_ANALYST])
def test_a_wesel_token_reads_nothing_of_coesfeld(world: World, role: str):
    client = api(token_for(world, role))
    foreign = coesfeld_objects(world)
    for path in LISTS:
        assert not ids(client, path) & set(foreign[path]), f"{role} lists a Coesfeld object in {path}"
        for pk in foreign[path]:
            response = client.get(f"/api/v1/{path}/{pk}/")
            assert response.status_code in (403, 404), (role, path, response.status_code)
    assert client.get(f"/api/v1/cases/{world.coesfeld.case.pk}/identity/").status_code in (403, 404)
    # writes naming a Coesfeld case are refused and create nothing
    before = Case.objects.count()
    assert send(client, "PATCH", f"cases/{world.coesfeld.case.pk}/", {"pseudonym": "x", "version": 1}).status_code in (
        403,
        404,
    )
    body = {"case": world.coesfeld.case.pk, "domain": "work", "text": "Fremd"}
    assert send(client, "POST", "goals/", body).status_code in (403, 404)
    assert Case.objects.count() == before
    assert world.coesfeld.case.goals.filter(text="Fremd").count() == 0


def test_lists_show_the_own_tenant(world: World):
    cm = api(token_for(world, Role.CASE_MANAGER))
    co = api(token_for(world, Role.COORDINATOR))
    assert ids(cm, "cases") == {world.wesel.case.pk}
    assert ids(co, "cases") == {world.wesel.case.pk}
    assert ids(cm, "contacts") == {world.wesel.objects["contact"].pk}
    assert ids(co, "barriers") == {world.wesel.objects["barrier"].pk}
    assert ids(co, "themes") == {world.wesel.objects["theme"].pk}


def test_identity_only_for_the_case_manager_and_every_read_audited(world: World):
    case = world.wesel.case
    reads = AuditEvent.objects.filter(action="identity.viewed", object_id=str(case.pk))
    before = reads.count()
    co = api(token_for(world, Role.COORDINATOR))
    response = co.get(f"/api/v1/cases/{case.pk}/identity/")
    assert response.status_code == 403
    assert "Amina" not in response.content.decode()
    detail = co.get(f"/api/v1/cases/{case.pk}/").content.decode()
    assert "Amina" not in detail and "Testfall" not in detail
    assert reads.count() == before

    cm = api(token_for(world, Role.CASE_MANAGER))
    response = cm.get(f"/api/v1/cases/{case.pk}/identity/")
    assert response.status_code == 200
    assert response.json()["given_name"] == "Amina" and response.json()["recorded"] is True
    assert response["Cache-Control"] == "no-store"
    assert reads.count() == before + 1
    assert reads.order_by("-pk").first().actor_id == world.wesel.users[Role.CASE_MANAGER].pk


def test_coordinators_get_no_free_texts(world: World):
    co = api(token_for(world, Role.COORDINATOR))
    contact = co.get(f"/api/v1/contacts/{world.wesel.objects['contact'].pk}/").json()
    goal = co.get(f"/api/v1/goals/{world.wesel.objects['goal'].pk}/").json()
    assert contact["note"] is None and goal["text"] is None
    cm = api(token_for(world, Role.CASE_MANAGER))
    assert cm.get(f"/api/v1/goals/{world.wesel.objects['goal'].pk}/").json()["text"] == "Arbeitsstelle finden"


def test_a_write_with_extra_fields_changes_none_of_them(world: World):
    case = world.wesel.case
    other = world.wesel.other_provider
    snapshot = Case.objects.filter(pk=case.pk).values().get()
    cm = api(token_for(world, Role.CASE_MANAGER))
    body = {
        "pseudonym": "Neuer Name",
        "version": case.version,
        "tenant": world.coesfeld.tenant.pk,
        "case_manager": world.coesfeld.users[Role.CASE_MANAGER].pk,
        "provider": other.pk,
        "status": "closed",
        "is_anonymous": True,
        "anonymised_at": "2020-01-01T00:00:00Z",
        "restricted_at": "2020-01-01T00:00:00Z",
        "restriction_reason": "x",
        "number": "HACK-1",
        "consent": "revoked",
        "closed_on": "2020-01-01",
        "next_follow_up_on": "2020-01-01",
    }
    response = send(cm, "PATCH", f"cases/{case.pk}/", body)
    assert response.status_code == 200, response.content
    after = Case.objects.filter(pk=case.pk).values().get()
    assert after["pseudonym"] == "Neuer Name"
    for name in (
        "tenant_id",
        "case_manager_id",
        "provider_id",
        "status",
        "is_anonymous",
        "anonymised_at",
        "restricted_at",
        "restriction_reason",
        "number",
        "closed_on",
        "next_follow_up_on",
    ):
        assert after[name] == snapshot[name], name
    assert world.wesel.case.consents.filter(revoked_at__isnull=False).count() == 0

    # a new case belongs to the token's tenant and user whatever the body says
    response = send(cm, "POST", "cases/", {**body, "intake_channel": "walk_in", "pseudonym": "Neu"})
    assert response.status_code == 201, response.content
    created = Case.objects.get(pk=response.json()["id"])
    assert created.tenant_id == world.wesel.tenant.pk
    assert created.case_manager_id == world.wesel.users[Role.CASE_MANAGER].pk
    assert created.provider_id == world.wesel.provider.pk
    assert created.status == "open" and created.restricted_at is None and created.anonymised_at is None
    assert created.number != "HACK-1"


def test_stale_version_is_a_conflict_and_restricted_cases_refuse_writes(world: World):
    case = world.wesel.case
    cm = api(token_for(world, Role.CASE_MANAGER))
    response = send(cm, "PATCH", f"cases/{case.pk}/", {"pseudonym": "Alt", "version": case.version - 1 or 999})
    assert response.status_code == 409
    assert response.json()["version"] == case.version
    Case.objects.filter(pk=case.pk).update(restricted_at=timezone.now())
    response = send(cm, "PATCH", f"cases/{case.pk}/", {"pseudonym": "Eingeschränkt", "version": case.version})
    assert response.status_code == 409 and "Art. 18" in response.json()["detail"]
    body = {
        "case": case.pk,
        "occurred_on": timezone.localdate().isoformat(),
        "kind": "phone",
        "duration_minutes": 5,
        "effort_minutes": 5,
    }
    contacts = case.contacts.count()
    assert send(cm, "POST", "contacts/", body).status_code == 409
    assert case.contacts.count() == contacts
    assert Case.objects.get(pk=case.pk).pseudonym == "Fall Test"


def test_contacts_and_goals_are_created_through_the_services(world: World):
    case = world.wesel.case
    cm = api(token_for(world, Role.CASE_MANAGER))
    today = timezone.localdate().isoformat()
    body = {"case": case.pk, "occurred_on": today, "kind": "phone", "duration_minutes": 10, "effort_minutes": 20}
    response = send(cm, "POST", "contacts/", {**body, "topics": ["work", "language"], "note": "Telefonat"})
    assert response.status_code == 201, response.content
    assert response.json()["topics"] == ["language", "work"]
    assert AuditEvent.objects.filter(action="contact.created", object_id=str(response.json()["id"])).exists()
    response = send(cm, "POST", "goals/", {"case": case.pk, "domain": "language", "text": "B1 erreichen"})
    assert response.status_code == 201 and response.json()["text"] == "B1 erreichen"
    # coordinators do not record case work
    co = api(token_for(world, Role.COORDINATOR))
    assert send(co, "POST", "contacts/", body).status_code == 403


@pytest.mark.parametrize(
    "path,body,field",
    [
        (
            "contacts/",
            {"occurred_on": "today", "kind": "phone", "duration_minutes": 10, "effort_minutes": 20},
            "occurred_on",
        ),
        ("contacts/", {"kind": "fax", "duration_minutes": 10, "effort_minutes": 20}, "kind"),
        ("contacts/", {"kind": "phone", "duration_minutes": 30, "effort_minutes": 20}, "effort_minutes"),
        ("contacts/", {"kind": "phone", "duration_minutes": 10**30, "effort_minutes": 20}, "duration_minutes"),
        ("contacts/", {"kind": "phone", "duration_minutes": 5, "effort_minutes": 5, "topics": "work"}, "topics"),
        ("contacts/", {"kind": "phone", "duration_minutes": 5, "effort_minutes": 5, "note": "a\x00b"}, "note"),
        ("goals/", {"domain": "work", "text": ""}, "text"),
        ("goals/", {"domain": "work", "text": "x", "agreed_on": "2999-01-01"}, "agreed_on"),
        ("cases/", {"pseudonym": "x", "intake_channel": "agency"}, "intake_agency"),
        ("cases/", {"pseudonym": "x", "intake_channel": "walk_in", "interpreter_needed": True}, "interpreter_language"),
        ("cases/", {"pseudonym": "x", "intake_channel": "walk_in", "opened_on": "2999-01-01"}, "opened_on"),
        ("cases/", {"pseudonym": "x", "intake_channel": "walk_in", "location": 10**6}, "location"),
        ("cases/", {"pseudonym": ["x"], "intake_channel": "walk_in"}, "pseudonym"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world: World, path: str, body: dict, field: str):
    cm = api(token_for(world, Role.CASE_MANAGER))
    if path != "cases/":
        body = {"case": world.wesel.case.pk, "occurred_on": timezone.localdate().isoformat(), **body}
    counts = (Case.objects.count(), world.wesel.case.contacts.count(), world.wesel.case.goals.count())
    response = send(cm, "POST", path, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts == (Case.objects.count(), world.wesel.case.contacts.count(), world.wesel.case.goals.count())


def test_malformed_requests_never_give_a_server_error(world: World):
    cm = api(token_for(world, Role.CASE_MANAGER))
    answers = [
        cm.generic("POST", "/api/v1/cases/", b"{not json", content_type="application/json").status_code,
        cm.generic("POST", "/api/v1/cases/", b"\xff\xfe", content_type="application/json").status_code,
        cm.generic("POST", "/api/v1/cases/", b"[]", content_type="application/json").status_code,
        cm.post("/api/v1/cases/", {"pseudonym": "x"}).status_code,  # multipart: not accepted
        cm.get("/api/v1/cases/", {"status": "nope"}).status_code,
        cm.get("/api/v1/cases/", {"opened_from": "31.02.2024"}).status_code,
        cm.get("/api/v1/cases/", {"provider": "9" * 40}).status_code,
        cm.get("/api/v1/cases/", {"page": "999"}).status_code,
        cm.get("/api/v1/cases/", {"page_size": "-1", "ordering": "identity__ciphertext"}).status_code,
        cm.get(f"/api/v1/cases/{'9' * 40}/").status_code,
        cm.get("/api/v1/cases/abc/").status_code,
        cm.get("/api/v1/cases/0.5/").status_code,
        send(cm, "PATCH", f"cases/{world.wesel.case.pk}/", {"pseudonym": "x"}).status_code,
        send(cm, "PATCH", f"cases/{world.wesel.case.pk}/", {"version": "eins"}).status_code,
        cm.get("/api/v1/reports/controlling/").status_code,
    ]
    assert all(code < 500 for code in answers), answers
    assert answers[:3] == [400, 400, 400] and answers[3] == 415
    assert answers[4:7] == [400, 400, 400] and answers[7] == 404 and answers[8] == 400
    assert answers[9:12] == [404, 404, 404] and answers[12:14] == [400, 400] and answers[14] == 403
    assert cm.get("/api/v1/cases/0.5/")["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["cases", "agencies"])
def test_a_search_text_longer_than_the_schema_allows_is_refused(world: World, path: str):
    """The schema says at most 80 characters; trailing blanks count too (schemathesis ST201)."""
    cm = api(token_for(world, Role.CASE_MANAGER))
    assert cm.get(f"/api/v1/{path}/", {"q": "a" * 80}).status_code == 200
    assert cm.get(f"/api/v1/{path}/", {"q": "a" * 79 + "  "}).status_code == 400
    assert cm.get(f"/api/v1/{path}/", {"q": "  "}).status_code == 200  # blank: no filter


@pytest.mark.parametrize(
    "query",
    [
        "kind=jobcenter&kind=other",
        "is_active=true&is_active=false",
        "q=a&q=b",
        "page_size=5&page_size=6",
        "ordering=name&ordering=-name",
    ],
)
def test_a_list_parameter_given_twice_is_refused(world: World, query: str):
    """Each parameter is a single value in the schema; two values are not silently one of them
    (schemathesis ST201 on GET /agencies/)."""
    cm = api(token_for(world, Role.CASE_MANAGER))
    response = cm.get(f"/api/v1/agencies/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


@pytest.mark.parametrize("page", ["", "0", "-1", "abc", "1.5", "²", "last"])
def test_a_page_that_is_not_a_whole_number_from_1_is_refused(world: World, page: str):
    """An empty page was read as page 1 (schemathesis ST201 on GET /agencies/?page=)."""
    cm = api(token_for(world, Role.CASE_MANAGER))
    response = cm.get(f"/api/v1/agencies/?page={page}")
    assert response.status_code == 400
    assert "page" in response.json()
    assert cm.get("/api/v1/agencies/?page=1").status_code == 200
    assert cm.get("/api/v1/agencies/?page=999").status_code == 404  # a page after the last
    assert cm.get(f"/api/v1/agencies/?page_size={page or 'x'}").status_code == 400


def test_pagination_filter_and_ordering(world: World):
    actor = world.wesel.users[Role.CASE_MANAGER]
    for n in range(4):
        case_services.case_open(
            actor=actor,
            tenant=world.wesel.tenant,
            case_manager_id=actor.pk,
            provider=world.wesel.provider,
            pseudonym=f"Seite {n}",
            intake_channel="phone",
            opened_on=timezone.localdate() - datetime.timedelta(days=n),
        )
    cm = api(token_for(world, Role.CASE_MANAGER))
    page = cm.get("/api/v1/cases/", {"page_size": 2, "ordering": "opened_on"}).json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert page["results"][0]["pk" if "pk" in page["results"][0] else "id"] == world.wesel.case.pk
    dates = [row["opened_on"] for row in cm.get("/api/v1/cases/", {"ordering": "-opened_on"}).json()["results"]]
    assert dates == sorted(dates, reverse=True)
    found = cm.get("/api/v1/cases/", {"q": "Seite", "intake_channel": "walk_in"}).json()
    assert found["count"] == 4  # unknown parameters are ignored, q filters
    assert cm.get("/api/v1/cases/", {"status": "closed"}).json()["count"] == 0
    assert cm.get("/api/v1/agencies/", {"is_active": "false"}).json()["count"] == 0
    assert cm.get("/api/v1/agencies/", {"is_active": "true"}).json()["count"] == 1
    assert cm.get("/api/v1/agencies/", {"is_active": "yes"}).status_code == 400
    assert len(cm.get("/api/v1/cases/", {"page_size": 200}).json()["results"]) == 5
    assert cm.get("/api/v1/cases/", {"page_size": 201}).status_code == 400
    # an ordering outside the whitelist is ignored (default order), never used
    assert cm.get("/api/v1/cases/", {"ordering": "case_manager__password"}).status_code == 200


def test_list_queries_do_not_grow_with_the_rows(world: World):
    actor = world.wesel.users[Role.CASE_MANAGER]
    cm = api(token_for(world, Role.CASE_MANAGER))

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert cm.get(f"/api/v1/{path}/").status_code == 200
        return len(ctx.captured_queries)

    queries("cases")  # the first request of a token records its use (one write per minute)
    small = {path: queries(path) for path in ("cases", "contacts", "goals")}
    for n in range(6):
        case = case_services.case_open(
            actor=actor,
            tenant=world.wesel.tenant,
            case_manager_id=actor.pk,
            provider=world.wesel.provider,
            pseudonym=f"Viele {n}",
            intake_channel="phone",
        )
        from lotse.cases.services import work

        work.goal_create(case, actor=actor, domain="work", text="Ziel")
        work.contact_create(
            case,
            actor=actor,
            occurred_on=timezone.localdate(),
            kind="phone",
            duration_minutes=5,
            effort_minutes=5,
            interpreter_used=False,
            topics=[],
        )
    for path, count in small.items():
        assert queries(path) == count, path
        assert count <= 8, (path, count)


def test_each_role_sees_what_its_ui_role_sees(world: World):
    expected = {
        Role.CASE_MANAGER: {"cases", "contacts", "goals", "referrals", "barriers", "agencies"},
        Role.COORDINATOR: {"cases", "contacts", "goals", "referrals", "barriers", "themes", "agencies", "positions"},
        Role.FUNDING_CLERK: {"positions"},
        Role.DATA_PROTECTION_OFFICER: set(),
        Role.COMMITTEE_MEMBER: {"themes"},
        Role.TENANT_ADMIN: set(),
        Role.PROVIDER_LEAD: set(),
    }
    for role, allowed in expected.items():
        client = api(token_for(world, role))
        for path in LISTS:
            code = client.get(f"/api/v1/{path}/").status_code
            assert code == (200 if path in allowed else 403), (role, path, code)
        report = client.get("/api/v1/reports/controlling/").status_code
        assert report == (200 if role == Role.COORDINATOR else 403), (role, report)
        assert client.get("/api/v1/me/").json()["role"] == role


def test_reports_are_suppressed_aggregates(world: World):
    co = api(token_for(world, Role.COORDINATOR))
    year = timezone.localdate().year
    response = co.get("/api/v1/reports/controlling/", {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "< 5" in text and "Fall Test" not in text and world.wesel.case.number not in text
    assert (
        co.get("/api/v1/reports/controlling/", {"date_from": "2024-02-01", "date_to": "2024-01-01"}).status_code == 400
    )
    assert AuditEvent.objects.filter(action="report.controlling_exported", details__format="api").exists()


def test_expired_revoked_and_inactive_tokens_are_refused(world: World):
    secret = token_for(world, Role.CASE_MANAGER)
    client = api(secret)
    assert client.get("/api/v1/me/").status_code == 200
    token = ApiToken.objects.get(prefix=secret.split("_")[1])
    assert token.last_used_at is not None and token.token_hash != secret and secret not in str(token.__dict__)

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get("/api/v1/me/").status_code == 200

    membership = token.membership
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    assert client.get("/api/v1/cases/").status_code == 401
    Membership.objects.filter(pk=membership.pk).update(is_active=True)
    type(token.user).objects.filter(pk=token.user_id).update(is_active=False)
    assert client.get("/api/v1/cases/").status_code == 401
    type(token.user).objects.filter(pk=token.user_id).update(is_active=True)

    token_revoke(token, actor=token.user)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()
    assert api(secret[:-1] + ("A" if secret[-1] != "A" else "B")).get("/api/v1/me/").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer lotse_nothing_here").get("/api/v1/me/").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Basic abc").get("/api/v1/me/").status_code == 401
    assert Client().get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("reset", ["password", "totp"])
def test_an_account_reset_revokes_every_token_of_the_person(world: World, reset: str):
    """A tenant admin resets a password or an authenticator when the account may be in wrong
    hands: the API tokens of that person stop working at once, like their sessions."""
    from lotse.accounts import services as account_services

    secret = token_for(world, Role.CASE_MANAGER)
    other_person = token_for(world, Role.COORDINATOR)
    assert api(secret).get("/api/v1/me/").status_code == 200
    user = world.user(Role.CASE_MANAGER, "wesel")
    admin = world.user(Role.TENANT_ADMIN, "wesel")
    if reset == "password":
        account_services.account_password_reset(actor=admin, user=user)
    else:
        account_services.account_totp_reset(actor=admin, user=user)
    assert api(secret).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert api(other_person).get("/api/v1/me/").status_code == 200
    event = AuditEvent.objects.filter(action=f"account.{reset}_reset", object_id=str(user.pk)).latest("pk")
    assert event.details["tokens_revoked"] == 1


def test_a_token_is_refused_while_the_password_must_be_changed(world: World):
    secret = token_for(world, Role.CASE_MANAGER)
    user = world.user(Role.CASE_MANAGER, "wesel")
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)
    assert api(secret).get("/api/v1/me/").status_code == 401
    type(user).objects.filter(pk=user.pk).update(must_change_password=False)
    assert api(secret).get("/api/v1/me/").status_code == 200


def test_token_lifetime_is_bounded(world: World, settings):
    from django.core.exceptions import ValidationError

    settings.API_TOKEN_MAX_DAYS = 30
    membership = world.wesel.memberships[Role.CASE_MANAGER]
    with pytest.raises(ValidationError):
        token_create(actor=membership.user, membership=membership, name="lang", days=31)
    with pytest.raises(ValidationError):
        token_create(actor=world.wesel.users[Role.COORDINATOR], membership=membership, name="fremd")
    issued = token_create(actor=membership.user, membership=membership, name="kurz", days=30)
    assert issued.token.expires_at - issued.token.created_at == datetime.timedelta(days=30)


def test_schema_and_docs(world: World, signed_in):
    schema = Client().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/cases/{id}/identity/" in paths and "/api/v1/reports/controlling/" in paths
    docs = signed_in(world.user(Role.FUNDING_CLERK)).get(reverse("api:docs"))
    assert docs.status_code == 200 and b"/api/v1/cases/" in docs.content


def test_token_pages_show_the_secret_once(world: World, signed_in):
    user = world.user(Role.DATA_PROTECTION_OFFICER)
    client = signed_in(user)
    base = reverse("api_tokens:list", kwargs={"tenant": "kreis-wesel"})
    response = client.post(
        reverse("api_tokens:create", kwargs={"tenant": "kreis-wesel"}), {"name": "Statistik", "days": 30}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user, name="Statistik")
    secret = response.content.decode().split('id="api-token-secret"')[1].split('value="')[1].split('"')[0]
    assert secret.startswith(f"lotse_{token.prefix}_") and len(secret) > 40
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()
    listing = client.get(base).content.decode()
    assert "Statistik" in listing and secret not in listing
    assert api(secret).get("/api/v1/me/").json()["role"] == Role.DATA_PROTECTION_OFFICER
    bad = client.post(reverse("api_tokens:create", kwargs={"tenant": "kreis-wesel"}), {"name": "x", "days": 9999})
    assert bad.status_code == 200 and ApiToken.objects.filter(user=user).count() == 1
    revoke = reverse("api_tokens:revoke", kwargs={"tenant": "kreis-wesel", "pk": token.pk})
    assert client.post(revoke, {}).status_code == 200  # asks first
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert client.post(revoke, {"confirm": "1"}).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert api(secret).get("/api/v1/me/").status_code == 401
    # another person's token is not found
    other = signed_in(world.user(Role.COORDINATOR))
    assert other.post(revoke, {"confirm": "1"}).status_code == 404
