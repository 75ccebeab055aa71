"""Public URLs of client feedback (under /feedback/): no sign-in."""

from django.urls import path

from lotse.feedback import views

app_name = "feedback"

urlpatterns = [
    # before the token pattern, so that "thanks" is never taken for a token
    path("thanks/", views.feedback_thanks, name="thanks"),
    path("<str:token>/", views.feedback_form, name="form"),
]
