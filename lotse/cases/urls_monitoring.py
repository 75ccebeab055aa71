"""Part of the cases URL configuration (see lotse/cases/urls.py): contacts, follow-ups, the
case manager's due list and barriers."""

from django.urls import URLPattern, path

from lotse.cases.views import monitoring

urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/contacts/", monitoring.contact_list, name="contact_list"),
    path("cases/<int:pk>/contacts/new/", monitoring.contact_create, name="contact_create"),
    path("cases/<int:pk>/follow-ups/new/", monitoring.followup_create, name="followup_create"),
    path("cases/<int:pk>/follow-ups/<int:follow_up>/done/", monitoring.followup_done, name="followup_done"),
    path("follow-ups/", monitoring.due_list, name="due_list"),
    path("cases/<int:pk>/barriers/", monitoring.barrier_list, name="barrier_list"),
    path("cases/<int:pk>/barriers/new/", monitoring.barrier_create, name="barrier_create"),
]
