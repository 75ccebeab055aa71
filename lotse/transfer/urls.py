"""URL configuration of transfer (under ``/<tenant>/transfer/``)."""

from django.urls import path

from lotse.transfer import views

app_name = "transfer"
urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/review/", views.import_review, name="import_review"),
    path("import/report/", views.import_report, name="import_report"),
    path("import/template/", views.import_template, name="import_template"),
    path("export/", views.export_index, name="export_index"),
    path("export/cases/", views.export_cases, name="export_cases"),
    path("export/contacts/", views.export_contacts, name="export_contacts"),
    path("export/barriers/", views.export_barriers, name="export_barriers"),
]
