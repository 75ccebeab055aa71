"""Access request and data portability (Art. 15 and 20 GDPR): everything stored about the client
of one case, as JSON (machine-readable) and as a German PDF for reading.

What it contains and what not (docs/privacy.md):
* the case (codes, dates, free texts), the identity (decrypted: an audited identity read),
  household entries of this case, assessments, goals and steps, contacts, follow-ups, referrals
  (with the recipient agencies), consents and releases, documents (metadata and the file itself,
  base64), barriers recorded from the case, handovers, rectifications (fields and dates) and the
  audit events about the case and its records (time and action);
* of staff only the name of the responsible case manager; other staff are not named;
* no other case (not even of household members who have a case of their own); client feedback
  is anonymous by design and cannot be linked to a case, so it is not part of any export.

Everything is read by the ids of this one case; nothing is searched by name or number."""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation

from lotse.audit.actions import ACTIONS
from lotse.audit.models import AuditEvent
from lotse.audit.services import audit_record
from lotse.cases.domains import LifeDomain, NeedLevel
from lotse.cases.identity import FIELDS as IDENTITY_FIELDS
from lotse.cases.identity import unseal
from lotse.cases.models import (
    Assessment,
    Barrier,
    Case,
    Contact,
    Document,
    FollowUp,
    Goal,
    GoalStep,
    Handover,
    HouseholdMember,
    Identity,
    Referral,
)
from lotse.cases.services import documents as document_services
from lotse.cases.storage import StorageError
from lotse.consent.models import Consent, Release
from lotse.core.pdf import render_pdf
from lotse.privacy.models import PrivacyRequest, Rectification

FORMAT_VERSION = 1
NOT_INCLUDED = {
    "feedback": "Rückmeldungen sind anonym und keinem Fall zuzuordnen.",
    "staff": "Mitarbeitende werden außer der zuständigen Fallmanagerin / dem zuständigen Fallmanager nicht genannt.",
    "other_cases": "Daten anderer Fälle (auch von Haushaltsangehörigen mit eigenem Fall) sind nicht enthalten.",
}


def _d(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def _person(user: Any) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def collect(request: PrivacyRequest, *, actor: Any) -> dict[str, Any]:
    """The export as plain data (labels in German). Reads the identity and the documents:
    both reads are audited (``identity.viewed``, ``document.downloaded``)."""
    case = (
        Case.objects.select_related("provider", "location", "case_manager", "intake_agency")
        .filter(pk=request.case_id)
        .get()
    )
    with translation.override("de"):
        data: dict[str, Any] = {
            "format": "lotse.access-request",
            "format_version": FORMAT_VERSION,
            "created_at": _d(timezone.now()),
            "request": {"reference": request.reference, "opened_at": _d(request.opened_at)},
            "case": _case(case),
            "identity": _identity(case, request, actor),
            "household": [
                {
                    "relation": _label(HouseholdMember._meta.get_field("relation"), m.relation),
                    "birth_year": m.birth_year,
                    "note": m.note,
                }
                for m in HouseholdMember.objects.filter(case=case)
            ],
            "assessments": _assessments(case),
            "goals": _goals(case),
            "contacts": [
                {
                    "date": _d(c.occurred_on),
                    "kind": _label(Contact._meta.get_field("kind"), c.kind),
                    "duration_minutes": c.duration_minutes,
                    "effort_minutes": c.effort_minutes,
                    "interpreter_used": c.interpreter_used,
                    "topics": [str(LifeDomain(t).label) for t in c.topics if t in LifeDomain.values],
                    "note": c.note,
                }
                for c in Contact.objects.filter(case=case)
            ],
            "follow_ups": [
                {"due_on": _d(f.due_on), "note": f.note, "done_on": _d(f.done_on)}
                for f in FollowUp.objects.filter(case=case)
            ],
            "referrals": [
                {
                    "agency": r.agency.name,
                    "topic": str(LifeDomain(r.topic).label) if r.topic in LifeDomain.values else r.topic,
                    "with_identity": r.with_identity,
                    "status": _label(Referral._meta.get_field("status"), r.status),
                    "sent_on": _d(r.sent_on),
                    "note": r.note,
                    "decline_reason": r.decline_reason,
                    "outcome": r.outcome,
                    "override_reason": r.override_reason,
                }
                for r in Referral.objects.filter(case=case).select_related("agency")
            ],
            "consents": [
                {
                    "purpose": _label(Consent._meta.get_field("purpose"), c.purpose),
                    "form_version": c.form_version,
                    "language": c.language,
                    "signed_on": _d(c.given_on),
                    "revoked_at": _d(c.revoked_at),
                }
                for c in Consent.objects.filter(case=case)
            ],
            "releases": [
                {
                    "agency": r.agency.name,
                    "topics": [str(LifeDomain(t).label) for t in r.topics if t in LifeDomain.values],
                    "form_version": r.form_version,
                    "language": r.language,
                    "signed_on": _d(r.given_on),
                    "valid_until": _d(r.valid_until),
                    "revoked_at": _d(r.revoked_at),
                }
                for r in Release.objects.filter(case=case).select_related("agency")
            ],
            "documents": _documents(case, actor),
            "barriers": [
                {
                    "domain": str(LifeDomain(b.domain).label) if b.domain in LifeDomain.values else b.domain,
                    "institution": b.agency.name if b.agency else b.institution,
                    "description": b.description,
                    "recorded_on": _d(b.recorded_on),
                }
                for b in Barrier.objects.filter(case=case).select_related("agency")
            ],
            "handovers": [
                {
                    "kind": _label(Handover._meta.get_field("kind"), h.kind),
                    "to_provider": h.to_provider.name if h.to_provider else None,
                    "to_agency": h.to_agency.name if h.to_agency else None,
                    "reason": h.reason,
                    "date": _d(h.handed_on),
                }
                for h in Handover.objects.filter(case=case).select_related("to_provider", "to_agency")
            ],
            "rectifications": [
                {"field": r.field, "changed_at": _d(r.changed_at), "reason": r.reason}
                for r in Rectification.objects.filter(case=case)
            ],
            "audit_events": _audit(case),
            "not_included": NOT_INCLUDED,
        }
    return data


def _case(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "pseudonym": case.pseudonym,
        "status": _label(Case._meta.get_field("status"), case.status),
        "anonymous_counselling": case.is_anonymous,
        "anonymised_at": _d(case.anonymised_at),
        "restricted_at": _d(case.restricted_at),
        "restriction_reason": case.restriction_reason,
        "responsible_case_manager": _person(case.case_manager),
        "provider": case.provider.name,
        "location": case.location.name if case.location else None,
        "intake_channel": _label(Case._meta.get_field("intake_channel"), case.intake_channel),
        "referring_agency": case.intake_agency.name if case.intake_agency else None,
        "languages": case.languages,
        "interpreter_needed": case.interpreter_needed,
        "interpreter_language": case.interpreter_language,
        "opened_on": _d(case.opened_on),
        "closed_on": _d(case.closed_on),
        "closure_reason": _label(Case._meta.get_field("closure_reason"), case.closure_reason)
        if case.closure_reason
        else "",
        "closure_note": case.closure_note,
        "next_follow_up_on": _d(case.next_follow_up_on),
        "next_reassessment_on": _d(case.next_reassessment_on),
    }


def _identity(case: Case, request: PrivacyRequest, actor: Any) -> dict[str, Any] | None:
    row = Identity.objects.filter(case=case).first()
    if row is None:
        return None
    data = unseal(bytes(row.ciphertext), case_id=case.pk)
    audit_record(
        action="identity.viewed",
        actor=actor,
        tenant_id=case.tenant_id,
        obj=case,
        details={"as_substitute": False, "privacy_request": request.pk},
    )
    return {name: _d(getattr(data, name)) for name in IDENTITY_FIELDS}


def _assessments(case: Case) -> list[dict[str, Any]]:
    result = []
    for a in Assessment.objects.filter(case=case).prefetch_related("entries"):
        result.append(
            {
                "date": _d(a.assessed_on),
                "initial": a.is_initial,
                "domains": [
                    {
                        "domain": str(LifeDomain(e.domain).label) if e.domain in LifeDomain.values else e.domain,
                        "need": str(NeedLevel(e.need_level).label)
                        if e.need_level in NeedLevel.values
                        else e.need_level,
                        "situation": e.situation,
                        "resources": e.resources,
                    }
                    for e in a.entries.all()
                ],
            }
        )
    return result


def _goals(case: Case) -> list[dict[str, Any]]:
    steps: dict[int, list[dict[str, Any]]] = {}
    for s in GoalStep.objects.filter(goal__case=case):
        steps.setdefault(s.goal_id, []).append(
            {
                "step": s.text,
                "who": _label(GoalStep._meta.get_field("actor"), s.actor),
                "due_on": _d(s.due_on),
                "done_on": _d(s.done_on),
            }
        )
    return [
        {
            "domain": str(LifeDomain(g.domain).label) if g.domain in LifeDomain.values else g.domain,
            "goal": g.text,
            "status": _label(Goal._meta.get_field("status"), g.status),
            "agreed_on": _d(g.agreed_on),
            "steps": steps.get(g.pk, []),
        }
        for g in Goal.objects.filter(case=case)
    ]


def _documents(case: Case, actor: Any) -> list[dict[str, Any]]:
    """Metadata and the file itself (base64): a copy of the data (Art. 15(3)). Each read is
    audited as a document download."""
    result = []
    for doc in Document.objects.filter(case=case).select_related("case"):
        entry: dict[str, Any] = {
            "title": doc.title,
            "file_name": document_services.document_filename(doc),
            "content_type": doc.content_type,
            "size": doc.size,
            "sha256": doc.sha256,
            "uploaded_at": _d(doc.uploaded_at),
        }
        try:
            content, _name, _type = document_services.document_read(doc, actor=actor, as_substitute=False)
            entry["content_base64"] = base64.b64encode(content).decode("ascii")
        except StorageError:
            entry["content_base64"] = None
            entry["problem"] = "Die gespeicherte Datei fehlt oder ist beschädigt."
        result.append(entry)
    return result


def _audit(case: Case) -> list[dict[str, Any]]:
    """Events about the case and its records: time and action only (no staff, no address)."""
    ids: dict[str, list[int]] = {
        "cases.case": [case.pk],
        "cases.contact": list(Contact.objects.filter(case=case).values_list("pk", flat=True)),
        "cases.goal": list(Goal.objects.filter(case=case).values_list("pk", flat=True)),
        "cases.followup": list(FollowUp.objects.filter(case=case).values_list("pk", flat=True)),
        "cases.referral": list(Referral.objects.filter(case=case).values_list("pk", flat=True)),
        "cases.document": list(Document.objects.filter(case=case).values_list("pk", flat=True)),
        "cases.barrier": list(Barrier.objects.filter(case=case).values_list("pk", flat=True)),
        "consent.consent": list(Consent.objects.filter(case=case).values_list("pk", flat=True)),
        "consent.release": list(Release.objects.filter(case=case).values_list("pk", flat=True)),
    }
    condition = Q()
    for object_type, pks in ids.items():
        if pks:
            condition |= Q(object_type=object_type, object_id__in=[str(pk) for pk in pks])
    events = AuditEvent.objects.filter(condition, tenant_id=case.tenant_id).order_by("created_at", "seq")
    return [
        {"time": _d(e.created_at), "action": e.action, "label": str(ACTIONS.get(e.action, e.action))}
        for e in events.only("created_at", "action")
    ]


def export_json(request: PrivacyRequest, *, actor: Any) -> bytes:
    data = collect(request, actor=actor)
    audit_record(
        action="privacy.access_exported",
        actor=actor,
        tenant_id=request.tenant_id,
        obj=request.case,
        details={"request": request.pk, "format": "json"},
    )
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


PDF_SECTIONS = (
    ("household", "Haushalt"),
    ("assessments", "Einschätzungen (Assessment)"),
    ("goals", "Ziele und Schritte"),
    ("contacts", "Kontakte"),
    ("follow_ups", "Wiedervorlagen"),
    ("referrals", "Vermittlungen"),
    ("consents", "Einwilligungen"),
    ("releases", "Schweigepflichtentbindungen"),
    ("documents", "Dokumente"),
    ("barriers", "Hemmnisse"),
    ("handovers", "Übergaben"),
    ("rectifications", "Berichtigungen"),
    ("audit_events", "Protokollierte Vorgänge"),
)

LABELS_DE = {
    "number": "Fallnummer",
    "pseudonym": "Pseudonym",
    "status": "Status",
    "anonymous_counselling": "Anonyme Beratung",
    "anonymised_at": "Anonymisiert am",
    "restricted_at": "Verarbeitung eingeschränkt seit",
    "restriction_reason": "Grund der Einschränkung",
    "responsible_case_manager": "Zuständige Fallmanagerin / zuständiger Fallmanager",
    "provider": "Träger",
    "location": "Anlaufstelle",
    "intake_channel": "Zugangsweg",
    "referring_agency": "Vermittelnde Stelle",
    "languages": "Sprachen",
    "interpreter_needed": "Sprachmittlung nötig",
    "interpreter_language": "Sprache der Sprachmittlung",
    "opened_on": "Eröffnet am",
    "closed_on": "Abgeschlossen am",
    "closure_reason": "Abschlussgrund",
    "closure_note": "Vermerk zum Abschluss",
    "next_follow_up_on": "Nächste Wiedervorlage",
    "next_reassessment_on": "Nächstes Re-Assessment",
    "given_name": "Vorname",
    "family_name": "Familienname",
    "birth_date": "Geburtsdatum",
    "nationality": "Staatsangehörigkeit",
    "street": "Straße",
    "postal_code": "Postleitzahl",
    "city": "Ort",
    "phone": "Telefon",
    "email": "E-Mail",
}


def _show(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) if value and not isinstance(value[0], dict) else ""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)


def _rows(item: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in item.items():
        if key == "content_base64":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, sub in enumerate(value, 1):
                rows.append((f"{key} {i}", "; ".join(f"{k}: {_show(v)}" for k, v in sub.items())))
            continue
        rows.append((LABELS_DE.get(key, key), _show(value)))
    return rows


def pdf_context(data: dict[str, Any]) -> dict[str, Any]:
    sections = []
    for key, title in PDF_SECTIONS:
        sections.append({"title": title, "items": [_rows(item) for item in data[key]]})
    return {
        "pdf_title": f"Auskunft nach Art. 15 DSGVO – Fall {data['case']['number']}",
        "data": data,
        "case_rows": _rows(data["case"]),
        "identity_rows": _rows(data["identity"]) if data["identity"] else [],
        "sections": sections,
        "footer": (
            f"Auskunft nach Art. 15 DSGVO · Fall {data['case']['number']} · erstellt {_show(data['created_at'][:10])}"
        ),
    }


def export_pdf(request: PrivacyRequest, *, actor: Any) -> bytes:
    data = collect(request, actor=actor)
    pdf = render_pdf("privacy/pdf/access.html", pdf_context(data), language="de")
    audit_record(
        action="privacy.access_exported",
        actor=actor,
        tenant_id=request.tenant_id,
        obj=request.case,
        details={"request": request.pk, "format": "pdf"},
    )
    return pdf
