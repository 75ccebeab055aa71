"""Review of issue 4 (steering, committees, supervision, feedback): each test proved a bug found
in review and now guards its fix; the ``test_guard_*`` tests cover suspicions that turned out
fine and are kept as regression guards."""

from __future__ import annotations

import datetime
import re
import subprocess
import tempfile

import pytest
from django.test import Client
from django.urls import reverse

from lotse.audit.models import AuditEvent
from lotse.cases.models import Case
from lotse.committees.models import AgendaItem, Attendance, BodyMember
from lotse.feedback.models import FeedbackResponse
from lotse.steering.models import Theme
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

CO, CMB, CM, PL = Role.COORDINATOR, Role.COMMITTEE_MEMBER, Role.CASE_MANAGER, Role.PROVIDER_LEAD


def u(world, name: str, tenant: str = "wesel", **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"tenant": getattr(world, tenant).tenant.slug, **kwargs})


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True, text=True).stdout


# --- 1. bad input: 500 -------------------------------------------------------------------------

BIG = "9" * 30  # beyond 64 bits


@pytest.mark.parametrize("name", ["steering:theme_barriers_remove", "steering:theme_split", "steering:barrier_assign"])
def test_barrier_id_beyond_64_bits_is_refused_not_a_500(world, signed_in, name):
    """IdListField (lotse/steering/forms.py) accepts any int; the pk__in lookup then raises
    OverflowError on SQLite (demo/dev database) -> 500 instead of a clear message."""
    w = world.wesel
    client = signed_in(w.users[CO])
    client.raise_request_exception = False
    kwargs = {} if name == "steering:barrier_assign" else {"pk": w.objects["theme"].pk}
    response = client.post(u(world, name, **kwargs), {"barriers": [BIG], "title": "Neu"})
    assert response.status_code != 500
    assert Theme.objects.filter(tenant=w.tenant).count() == 1


# --- 2. committee seat holders without THEME_VIEW -----------------------------------------------


def test_minutes_pdf_names_themes_only_for_theme_readers(world, signed_in):
    """meeting_detail hides an item's theme from seat holders without THEME_VIEW (case manager,
    provider lead), but the minutes PDF of the same meeting prints it (lotse/committees/minutes.py
    _item / minutes_context take no access context)."""
    w = world.wesel
    qc = w.objects["qc_meeting"]
    AgendaItem.objects.create(meeting=qc, number=1, title="Fallbesprechung", theme=w.objects["theme"])
    client = signed_in(w.users[CM])  # seat holder of the quality circle
    page = client.get(u(world, "committees:meeting_detail", pk=qc.pk))
    assert page.status_code == 200
    assert "Wartezeiten Integrationskurs" not in page.content.decode()  # page: hidden
    pdf = client.get(u(world, "committees:minutes_pdf", pk=qc.pk))
    assert pdf.status_code == 200
    assert "Wartezeiten Integrationskurs" not in pdf_text(pdf.content)  # PDF: shown -> fails


# --- 3. theme titles outside the committee member's scope ---------------------------------------


def test_theme_history_names_only_themes_in_scope(world, signed_in):
    """theme_detail hides ``merged_into`` when it is outside the scope (selectors.theme_visible),
    but the history table prints ``event.other_theme.title`` unscoped
    (steering/templates/steering/theme_detail.html, selectors.theme_history)."""
    from lotse.cases.models import Barrier
    from lotse.steering import services

    w = world.wesel
    theme = w.objects["theme"]
    # a second barrier so that one can be split off
    second = Barrier.objects.get(pk=w.objects["barrier"].pk)
    second.pk = None
    second.theme = theme
    second.save()
    services.theme_split(theme, actor=w.users[CO], barrier_ids=[second.pk], title="Geheimes Thema Jobcenter X")
    secret = Theme.objects.get(title="Geheimes Thema Jobcenter X")
    Theme.objects.filter(pk=secret.pk).update(responsible_body=None)
    client = signed_in(w.users[CMB])
    assert client.get(u(world, "steering:theme_detail", pk=secret.pk)).status_code == 404  # out of scope
    page = client.get(u(world, "steering:theme_detail", pk=theme.pk))
    assert page.status_code == 200
    assert "Geheimes Thema Jobcenter X" not in page.content.decode()


# --- 4. concurrency ------------------------------------------------------------------------------


def _attendance_post(member_pk: int, status: str, represented_by: str = "") -> dict[str, str]:
    return {
        f"m{member_pk}_status": status,
        f"m{member_pk}_represented_by": represented_by,
        f"m{member_pk}_arrived_at": "",
        f"m{member_pk}_left_at": "",
    }


def test_stale_attendance_form_is_refused(world, signed_in):
    """Two coordinators open the attendance form; A saves "represented by Volker", B (form loaded
    before A's save) saves "absent": B's stale form wins without a conflict. AttendanceForm has no
    version field and services.attendance_record does not check one
    (lotse/committees/forms.py AttendanceForm, lotse/committees/services.py attendance_record)."""
    w = world.wesel
    meeting, member = w.objects["meeting"], w.objects["member"]
    a, b = signed_in(w.users[CO]), signed_in(w.users[CO])
    form_b = b.get(u(world, "committees:attendance", pk=meeting.pk)).context["form"]
    stale = {name: form_b[name].value() or "" for name in form_b.fields}
    a_saved = a.post(
        u(world, "committees:attendance", pk=meeting.pk), _attendance_post(member.pk, "represented", "Volker")
    )
    assert a_saved.status_code == 302
    stale[f"m{member.pk}_status"] = "absent"
    stale[f"m{member.pk}_represented_by"] = ""
    b_saved = b.post(u(world, "committees:attendance", pk=meeting.pk), stale)
    assert b_saved.status_code == 200, "stale attendance form was saved over A's change"
    assert Attendance.objects.get(meeting=meeting, member=member).status == "represented"


def test_attendance_cannot_drop_below_recorded_votes(world, signed_in):
    """decision_check refuses more votes than seats present, but only when the item is saved;
    changing the attendance afterwards is not checked against the recorded votes, so the minutes
    can show a vote of 1/0/0 with nobody present (services.attendance_record)."""
    w = world.wesel
    meeting, member, item = w.objects["meeting"], w.objects["member"], w.objects["item"]
    client = signed_in(w.users[CO])
    assert (
        client.post(
            u(world, "committees:attendance", pk=meeting.pk), _attendance_post(member.pk, "present")
        ).status_code
        == 302
    )
    from lotse.committees import services

    services.item_update(
        item,
        actor=w.users[CO],
        expected_version=item.version,
        decision_kind="vote",
        decision_text="Beschluss",
        votes_yes=1,
        votes_no=0,
        votes_abstain=0,
    )
    client.post(u(world, "committees:attendance", pk=meeting.pk), _attendance_post(member.pk, "absent"))
    present = Attendance.objects.filter(meeting=meeting, status__in=["present", "represented"]).count()
    assert present >= 1, "attendance now says nobody present, yet the item records 1 vote cast"


# --- 5. feedback anonymity and small cells ------------------------------------------------------


def test_sheet_audit_cannot_link_an_answer_by_language(world, signed_in):
    """The audit event of a printed sheet stores case + language
    (feedback/services.py feedback_sheet_issue details={"language": ...}); the response stores
    provider + month + language. With one sheet in a rare language (fa) per provider and month,
    anyone who reads the audit log and the responses re-identifies the client's answers."""
    w = world.wesel
    Case.objects.filter(pk=w.case.pk).update(status="closure_requested")  # sheets belong to closure
    cm = signed_in(w.users[CM])
    printed = cm.post(
        reverse("feedback_staff:sheet", kwargs={"tenant": w.tenant.slug, "pk": w.case.pk}), {"language": "fa"}
    )
    assert printed.status_code == 200
    match = re.search(r"/feedback/([A-Za-z0-9_-]{20,})/", pdf_text(printed.content).replace("\n", ""))
    assert match, "token URL printed on the sheet"
    answered = Client().post(
        reverse("feedback:form", kwargs={"token": match.group(1)}) + "?lang=fa",
        {"helped": "1"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert answered.status_code == 302
    response = FeedbackResponse.objects.get()
    # what a reader of the audit log and of the response table can join on
    candidates = {
        e.object_id
        for e in AuditEvent.objects.filter(action="feedback.sheet_printed", tenant=w.tenant)
        if e.details.get("language") == response.language
    }
    assert candidates != {str(w.case.pk)}, "the answer 'helped = 1' is linked to exactly this case"


def test_total_row_is_hidden_when_a_provider_is_suppressed(world, signed_in):
    """Small-cell rule (supervision/selectors.py MIN_CELL): provider B's single answer is hidden
    (< 5 answers), but the "All providers" row (views.feedback: rows + total) shows the mean over
    A + B, so B's answer = 6 * total - 5 * mean(A)."""
    w = world.wesel
    month = datetime.date.today().replace(day=1)
    for _ in range(5):
        FeedbackResponse.objects.create(tenant=w.tenant, provider=w.provider, month=month, language="de", helped=5)
    FeedbackResponse.objects.create(tenant=w.tenant, provider=w.other_provider, month=month, language="de", helped=1)
    page = signed_in(w.users[CO]).get(u(world, "supervision:feedback"))
    rows = {row.label: row for row in page.context["figures"]["rows"]}
    a, b = rows[w.provider.name], rows[w.other_provider.name]
    helped = 1  # index of "helped" in QUESTIONS
    assert a.questions[helped].mean == 5 and b.questions[helped].mean is None  # B suppressed
    # no "All providers" row, so B's answer cannot be worked out as total minus A
    assert list(rows) == [w.provider.name, w.other_provider.name]
    # with enough answers for B as well, the total row is back
    for _ in range(4):
        FeedbackResponse.objects.create(
            tenant=w.tenant, provider=w.other_provider, month=month, language="de", helped=1
        )
    page = signed_in(w.users[CO]).get(u(world, "supervision:feedback"))
    assert len(page.context["figures"]["rows"]) == 3


# --- regression guards (pass: suspicions that turned out fine) ---------------------------------


def test_guard_foreign_tenant_ids_in_post_fields_are_refused(world, signed_in):
    """GUARD: another tenant's theme / body / membership / case / provider chosen in a form field
    changes nothing (form querysets come from the scopes)."""
    w, c = world.wesel, world.coesfeld
    client = signed_in(w.users[CO])
    theme, foreign_theme = w.objects["theme"], c.objects["theme"]
    meeting = w.objects["meeting"]
    before = AgendaItem.objects.count(), BodyMember.objects.count()
    client.post(u(world, "steering:barrier_assign"), {"barriers": [w.objects["barrier"].pk], "theme": foreign_theme.pk})
    client.post(u(world, "steering:theme_merge", pk=theme.pk), {"other": foreign_theme.pk})
    client.post(
        u(world, "steering:theme_edit", pk=theme.pk),
        {"version": theme.version, "title": "x", "status": "active", "responsible_body": c.objects["body"].pk},
    )
    client.post(
        u(world, "committees:member_create", pk=w.objects["body"].pk),
        {"organisation": "X", "role": "member", "membership": c.memberships[CMB].pk},
    )
    client.post(
        u(world, "committees:item_create", pk=meeting.pk),
        {"part": "public", "number": "9", "title": "t", "theme": foreign_theme.pk},
    )
    client.post(u(world, "committees:review_add", pk=w.objects["qc_meeting"].pk), {"number": c.case.number})
    assert (AgendaItem.objects.count(), BodyMember.objects.count()) == before
    theme.refresh_from_db()
    foreign_theme.refresh_from_db()
    assert theme.title != "x" and foreign_theme.status == "active"
    assert c.objects["barrier"].__class__.objects.get(pk=w.objects["barrier"].pk).theme_id == theme.pk
    assert w.objects["qc_meeting"].review_cases.count() == 1
    for name, kwargs in [
        ("committees:body_detail", {"pk": c.objects["body"].pk}),
        ("committees:meeting_detail", {"pk": c.objects["meeting"].pk}),
        ("committees:minutes_pdf", {"pk": c.objects["meeting"].pk}),
        ("committees:review_list", {"pk": c.objects["qc_meeting"].pk}),
        ("steering:theme_detail", {"pk": foreign_theme.pk}),
    ]:
        assert client.get(u(world, name, **kwargs)).status_code == 404, name


def test_guard_review_urls_refuse_non_quality_circle_meetings_and_other_bodies(world, signed_in):
    """GUARD: review URLs answer 404 for a steering-group meeting (also with a real pick id) and for
    seat holders of other bodies."""
    w = world.wesel
    review = w.objects["review"]
    for role in (CO, CMB, CM):
        client = signed_in(w.users[role])
        assert client.get(u(world, "committees:review_list", pk=w.objects["meeting"].pk)).status_code == 404
        assert (
            client.get(u(world, "committees:review_case", pk=w.objects["meeting"].pk, review=review.pk)).status_code
            == 404
        )
    # the committee member holds no seat in the quality circle, the provider lead none at all
    for role in (CMB, PL):
        client = signed_in(w.users[role])
        assert client.get(
            u(world, "committees:review_case", pk=w.objects["qc_meeting"].pk, review=review.pk)
        ).status_code in (403, 404)


def test_guard_committee_member_theme_page_has_no_case_data(world, signed_in):
    """GUARD: the committee member's theme page and minutes carry no case number, barrier
    description or identity."""
    w = world.wesel
    client = signed_in(w.users[CMB])
    page = client.get(u(world, "steering:theme_detail", pk=w.objects["theme"].pk)).content.decode()
    pdf = pdf_text(client.get(u(world, "committees:minutes_pdf", pk=w.objects["meeting"].pk)).content)
    for secret in (w.case.number, "Wartezeit Integrationskurs", "Amina", "Testfall", "Fall Test"):
        assert secret not in page and secret not in pdf, secret


def test_guard_provider_lead_cannot_choose_another_provider(world, signed_in):
    """GUARD: ?provider=<other provider> is ignored for provider leads."""
    w = world.wesel
    page = signed_in(w.users[PL]).get(u(world, "supervision:feedback") + f"?provider={w.other_provider.pk}")
    assert page.status_code == 200
    labels = {row.label for row in page.context["figures"]["rows"]}
    assert labels == {w.provider.name}
