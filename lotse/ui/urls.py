from django.urls import path

from lotse.ui import views

app_name = "ui"

urlpatterns = [
    path("", views.home, name="home"),
    path("select-tenant/", views.tenant_select, name="tenant_select"),
    path("<slug:tenant>/", views.dashboard, name="dashboard"),
]
