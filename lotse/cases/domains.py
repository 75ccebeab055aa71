"""The shared vocabulary of case work: life domains (Handlungsfelder), need levels, languages.
Module 2 (steering) and the reports use the same codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    """Handlungsfeld (PRODUCT.md, Module 1 – Assessment)."""

    RESIDENCE = "residence", _("Residence and legal status")
    LANGUAGE = "language", _("Language")
    EDUCATION = "education", _("Education and school")
    WORK = "work", _("Training and work")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family and children")
    INCOME = "income", _("Income and benefits")
    PARTICIPATION = "participation", _("Social participation")
    NATURALISATION = "naturalisation", _("Naturalisation")


def domain_labels(codes: list[str]) -> list[str]:
    """The labels of stored life-domain codes (topics of contacts, releases); an unknown code
    is shown as it is."""
    labels = dict(LifeDomain.choices)
    return [str(labels.get(code, code)) for code in codes]


# Health is a special category (Art. 9 GDPR): recorded only with the explicit health consent.
SPECIAL_DOMAINS = frozenset({LifeDomain.HEALTH})


class NeedLevel(models.IntegerChoices):
    NONE = 0, _("none")
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class ClientLanguage(models.TextChoices):
    """Languages of client documents (information sheet, consent form, goal plan)."""

    DE = "de", "Deutsch"
    EN = "en", "English"
    AR = "ar", "العربية"
    UK = "uk", "Українська"
    RU = "ru", "Русский"
    TR = "tr", "Türkçe"
    FA = "fa", "فارسی"


RTL_LANGUAGES = frozenset({ClientLanguage.AR, ClientLanguage.FA})
