"""Staff URLs of client feedback (under /<tenant>/)."""

from django.urls import path

from lotse.feedback import views

app_name = "feedback_staff"

urlpatterns = [
    path("cases/<int:pk>/feedback-sheet/", views.feedback_sheet, name="sheet"),
]
