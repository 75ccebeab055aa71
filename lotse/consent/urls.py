"""URL configuration of the consent app (under ``/<tenant>/``): consent and releases of a case."""

from django.urls import path

from lotse.consent import views

app_name = "consent"

urlpatterns = [
    path("cases/<int:pk>/consent/", views.case_overview, name="case_overview"),
    path("cases/<int:pk>/consent/information-sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("cases/<int:pk>/consent/new/", views.consent_record, name="consent_record"),
    path("cases/<int:pk>/consent/<int:consent>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("cases/<int:pk>/consent/releases/new/", views.release_record, name="release_record"),
    path("cases/<int:pk>/consent/releases/<int:release>/revoke/", views.release_revoke, name="release_revoke"),
]
