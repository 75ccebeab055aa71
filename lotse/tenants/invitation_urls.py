from django.urls import path

from lotse.tenants import views

app_name = "invitations"

urlpatterns = [
    path("<int:pk>/accept/", views.invitation_accept, name="accept"),
    path("<int:pk>/decline/", views.invitation_decline, name="decline"),
]
