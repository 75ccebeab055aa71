"""URL configuration of strategic steering (under ``/<tenant>/steering/``)."""

from django.urls import path

from lotse.steering import views

app_name = "steering"
urlpatterns = [
    path("barriers/", views.barrier_register, name="barrier_register"),
    path("barriers/assign/", views.barrier_assign, name="barrier_assign"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/new/", views.theme_create, name="theme_create"),
    path("themes/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/move/", views.theme_move, name="theme_move"),
    path("themes/<int:pk>/merge/", views.theme_merge, name="theme_merge"),
    path("themes/<int:pk>/split/", views.theme_split, name="theme_split"),
    path("themes/<int:pk>/remove/", views.theme_barriers_remove, name="theme_barriers_remove"),
    path("settings/", views.staircase_settings, name="staircase_settings"),
]
