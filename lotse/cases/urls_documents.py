"""Part of the cases URL configuration (see lotse/cases/urls.py): documents of a case."""

from django.urls import URLPattern, path

from lotse.cases.views import documents

urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/documents/", documents.document_list, name="document_list"),
    path("cases/<int:pk>/documents/<int:document>/download/", documents.document_download, name="document_download"),
    path("cases/<int:pk>/documents/<int:document>/delete/", documents.document_delete, name="document_delete"),
]
