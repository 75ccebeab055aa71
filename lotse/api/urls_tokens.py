"""The tenant page of API tokens (``/<tenant>/api-tokens/``)."""

from __future__ import annotations

from django.urls import path

from lotse.api import views_tokens

app_name = "api_tokens"
urlpatterns = [
    path("", views_tokens.token_list, name="list"),
    path("new/", views_tokens.token_new, name="create"),
    path("<int:pk>/revoke/", views_tokens.token_revoke_view, name="revoke"),
]
