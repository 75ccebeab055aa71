"""Supervision (Fachaufsicht) under ``/<tenant>/supervision/``."""

from django.urls import path

from lotse.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("feedback/", views.feedback, name="feedback"),
]
