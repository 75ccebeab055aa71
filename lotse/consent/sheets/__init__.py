"""The information sheet under Art. 13 GDPR and the consent form (seed 003 §9(3), Anlage 1:
"Informationen zur Datenverarbeitung nach Art. 13 DSGVO" and "Einwilligungserklärung zur
Datenverarbeitung") in the languages of client documents, one module per language.

The texts follow the seed's German version and PRODUCT.md (consent per purpose, releases per
agency and topic, revocation at once), in plain language. They are client documents, not user
interface: they do not come from gettext. A change of content needs a new
``lotse.consent.services.FORM_VERSION`` and the same change in every language.

Placeholders in the texts (``str.format`` style): ``{controller}`` – the tenant's name (the district
or city administration responsible for the KIM).
"""

from __future__ import annotations

from dataclasses import dataclass

from lotse.consent.models import ConsentPurpose


@dataclass(frozen=True)
class Section:
    """One heading of the information sheet: paragraphs, then a list, then closing paragraphs.
    ``contact`` names the address block printed after the text: ``controller``, ``dpo`` (data
    protection officer) or ``authority`` (supervisory authority)."""

    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    contact: str = ""


@dataclass(frozen=True)
class Purpose:
    """A purpose of the consent form, one checkbox each (codes of ``ConsentPurpose``)."""

    code: str
    title: str
    text: str


@dataclass(frozen=True)
class Sheet:
    """Information sheet and consent form in one language."""

    language: str
    # information sheet
    heading: str
    subheading: str
    intro: str
    case_number_label: str
    address_label: str
    phone_label: str
    email_label: str
    sections: tuple[Section, ...]
    # consent form
    consent_heading: str
    client_name_label: str
    consent_intro: str
    purposes: tuple[Purpose, ...]
    contact_details_label: str
    release_heading: str
    release_intro: str
    release_agency_label: str
    release_topics_label: str
    release_valid_until_label: str
    release_note: str
    closing_note: str
    place_date_label: str
    client_signature_label: str
    case_manager_signature_label: str
    form_version_label: str

    def purpose(self, code: str) -> Purpose:
        return next(purpose for purpose in self.purposes if purpose.code == code)


PURPOSE_ORDER: tuple[str, ...] = (ConsentPurpose.PROCESSING, ConsentPurpose.HEALTH, ConsentPurpose.CONTACT)


def _load() -> dict[str, Sheet]:
    from lotse.consent.sheets import ar, de, en, fa, ru, tr, uk

    return {module.SHEET.language: module.SHEET for module in (de, en, ar, uk, ru, tr, fa)}


SHEETS: dict[str, Sheet] = _load()

# Heading of the information sheet per language (what a reader sees on top of the first page).
SHEET_HEADINGS: dict[str, str] = {language: sheet.heading for language, sheet in SHEETS.items()}

# Heading of the consent form per language.
CONSENT_HEADINGS: dict[str, str] = {language: sheet.consent_heading for language, sheet in SHEETS.items()}


def get_sheet(language: str) -> Sheet:
    """The sheet in ``language``; ``KeyError`` for a language without a sheet."""
    return SHEETS[language]
