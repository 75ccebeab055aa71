"""URL configuration of the network app (under ``/<tenant>/agencies/``)."""

from django.urls import path

from lotse.network import views

app_name = "network"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("new/", views.agency_create, name="agency_create"),
    path("<int:pk>/edit/", views.agency_edit, name="agency_edit"),
]
