"""URL configuration of the committees app (under ``/<tenant>/committees/``)."""

from django.urls import include, path

from lotse.committees import views

app_name = "committees"
urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("new/", views.body_create, name="body_create"),
    path("<int:pk>/", views.body_detail, name="body_detail"),
    path("<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("<int:pk>/members/new/", views.member_create, name="member_create"),
    path("<int:pk>/members/<int:member>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_download, name="minutes_pdf"),
    path("meetings/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("meetings/<int:pk>/items/<int:item>/edit/", views.item_edit, name="item_edit"),
    path("meetings/<int:pk>/items/<int:item>/delete/", views.item_delete, name="item_delete"),
    path("meetings/<int:pk>/items/<int:item>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    # quality circle (lotse/committees/urls_review.py), same namespace
    path("", include("lotse.committees.urls_review")),
]
