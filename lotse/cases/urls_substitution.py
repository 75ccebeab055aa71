"""Part of the cases URL configuration (see lotse/cases/urls.py): substitution (Vertretung) and
the tenant's case settings."""

from django.urls import URLPattern, path

from lotse.cases.views import substitution

urlpatterns: list[URLPattern] = [
    path("substitution/", substitution.substitution, name="substitution"),
    path("substitution/nominate/", substitution.substitution_nominate, name="substitution_nominate"),
    path(
        "substitution/substitutes/<int:nomination>/remove/",
        substitution.substitution_remove,
        name="substitution_remove",
    ),
    path("substitution/absences/new/", substitution.absence_add, name="absence_add"),
    path("substitution/absences/<int:absence>/end/", substitution.absence_end, name="absence_end"),
    path("case-settings/", substitution.case_settings, name="case_settings"),
]
