"""The information sheet under Art. 13 GDPR and the consent form as one PDF in the client's
language (seed 003 §9(3); PRODUCT.md Module 1, Consent). Printed before named processing starts;
the client's name is written on it by hand, the PDF carries only the case number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lotse.cases.domains import LifeDomain
from lotse.cases.goal_plan_texts import DOMAIN_LABELS
from lotse.consent.services import FORM_VERSION
from lotse.consent.sheets import PURPOSE_ORDER, SHEETS, Section, Sheet
from lotse.core.pdf import render_pdf

TEMPLATE = "consent/pdf/information_sheet.html"

# Contact data printed on the sheet. Empty values print as a line to fill in by hand (or to
# stamp). For now the same for every tenant; a tenant setting could carry the administration's
# address and the data protection officer's contact later. The supervisory authority is the one of
# North Rhine-Westphalia (seed 003, Anlage 1).
CONTROLLER_DEFAULTS: dict[str, str] = {
    "address": "",
    "phone": "",
    "email": "",
    "dpo_address": "",
    "dpo_email": "",
    "authority_name": "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW)",
    "authority_address": "Postfach 20 04 44, 40102 Düsseldorf",
    "authority_phone": "0211 38424-0",
    "authority_email": "poststelle@ldi.nrw.de",
}


# Address blocks of the sheet: which CONTROLLER_DEFAULTS keys fill the address, phone and e-mail
# rows (None: no such row), and which key names the body.
CONTACT_BLOCKS: dict[str, dict[str, str | None]] = {
    "controller": {"name": None, "address": "address", "phone": "phone", "email": "email"},
    "dpo": {"name": None, "address": "dpo_address", "phone": None, "email": "dpo_email"},
    "authority": {
        "name": "authority_name",
        "address": "authority_address",
        "phone": "authority_phone",
        "email": "authority_email",
    },
}


def _contact(kind: str, sheet: Sheet, contact: Mapping[str, str]) -> dict[str, Any]:
    """An address block: the body's name and rows (label, value); an empty value prints as a line
    to fill in by hand."""
    keys = CONTACT_BLOCKS[kind]
    labels = {"address": sheet.address_label, "phone": sheet.phone_label, "email": sheet.email_label}
    rows = [(label, contact[key]) for field, label in labels.items() if (key := keys[field]) is not None]
    name_key = keys["name"]
    return {"name": contact[name_key] if name_key else "", "rows": rows}


def _section(section: Section, sheet: Sheet, values: Mapping[str, str], contact: Mapping[str, str]) -> dict[str, Any]:
    def fill(texts: tuple[str, ...]) -> list[str]:
        return [text.format_map(values) for text in texts]

    return {
        "title": section.title.format_map(values),
        "paragraphs": fill(section.paragraphs),
        "items": fill(section.items),
        "after": fill(section.after),
        "contact": _contact(section.contact, sheet, contact) if section.contact else None,
    }


def information_sheet_context(
    *, tenant: Any, case_number: str, language: str, controller: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Template context of the sheet. ``controller`` overrides ``CONTROLLER_DEFAULTS``."""
    if language not in SHEETS:
        raise ValueError(f"No information sheet in the language {language!r}.")
    sheet = SHEETS[language]
    german = SHEETS["de"]
    contact = {**CONTROLLER_DEFAULTS, **(controller or {})}
    values = {"controller": tenant.name}
    purposes = [
        {
            "code": code,
            "title": sheet.purpose(code).title,
            "text": sheet.purpose(code).text,
            "title_de": german.purpose(code).title if language != "de" else "",
        }
        for code in PURPOSE_ORDER
    ]
    topics = [
        {
            "code": domain,
            "label": DOMAIN_LABELS[language][domain],
            "label_de": DOMAIN_LABELS["de"][domain] if language != "de" else "",
        }
        for domain in LifeDomain.values
    ]
    return {
        "pdf_title": sheet.heading,
        "sheet": sheet,
        "german": german if language != "de" else None,
        "tenant_name": tenant.name,
        "case_number": case_number,
        "form_version": FORM_VERSION,
        "sections": [_section(section, sheet, values, contact) for section in sheet.sections],
        "purposes": purposes,
        "topics": topics,
        "topic_rows": [topics[index : index + 2] for index in range(0, len(topics), 2)],
    }


def information_sheet_pdf(
    *, tenant: Any, case_number: str, language: str, controller: Mapping[str, str] | None = None
) -> bytes:
    """Information sheet (Art. 13 GDPR) and consent form with release section, in ``language``
    (one of ``ClientLanguage``), for the case ``case_number`` of ``tenant``."""
    context = information_sheet_context(
        tenant=tenant, case_number=case_number, language=language, controller=controller
    )
    return render_pdf(TEMPLATE, context, language=language)
