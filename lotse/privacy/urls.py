"""URL configuration of privacy (under ``/<tenant>/privacy/``)."""

from django.urls import path

from lotse.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/export.json", views.request_json, name="request_json"),
    path("requests/<int:pk>/export.pdf", views.request_pdf, name="request_pdf"),
    path("requests/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("requests/<int:pk>/restrict/", views.restrict, name="restrict"),
    path("requests/<int:pk>/lift/", views.restriction_lift, name="restriction_lift"),
    path("requests/<int:pk>/erase/", views.erase, name="erase"),
    path("retention/", views.retention, name="retention"),
]
