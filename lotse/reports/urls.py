"""URL configuration of reporting (under ``/<tenant>/reports/``)."""

from django.urls import path

from lotse.reports import views_controlling, views_status

app_name = "reports"
urlpatterns = [
    path("", views_controlling.index, name="index"),
    path("controlling/", views_controlling.controlling, name="controlling"),
    path("controlling/export/", views_controlling.controlling_export, name="controlling_export"),
    path("status/", views_status.status_report, name="status"),
    path("status/report.pdf", views_status.status_report_pdf, name="status_pdf"),
    path("status/report.docx", views_status.status_report_docx, name="status_docx"),
]
