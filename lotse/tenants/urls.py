from django.urls import path

from lotse.tenants import views

app_name = "tenants"

urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/add-existing/", views.staff_add_existing, name="staff_add_existing"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/reset-password/", views.staff_password_reset, name="staff_password_reset"),
    path("staff/<int:pk>/reset-authenticator/", views.staff_totp_reset, name="staff_totp_reset"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<int:pk>/end/", views.staff_membership_end, name="staff_membership_end"),
    path("staff/<int:pk>/restore/", views.staff_membership_restore, name="staff_membership_restore"),
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("locations/", views.location_list, name="location_list"),
    path("locations/new/", views.location_create, name="location_create"),
    path("locations/<int:pk>/edit/", views.location_edit, name="location_edit"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/new/", views.municipality_create, name="municipality_create"),
    path("municipalities/<int:pk>/edit/", views.municipality_edit, name="municipality_edit"),
]
