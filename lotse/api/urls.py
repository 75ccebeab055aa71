"""URL configuration of the REST API (under ``/api/v1/``)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lotse.access.decorators import public
from lotse.api import views
from lotse.api.docs import docs_page

app_name = "api"

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("referrals", views.ReferralViewSet, basename="referral")
router.register("barriers", views.BarrierViewSet, basename="barrier")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("positions", views.PositionViewSet, basename="position")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    # the schema describes the API, it holds no data: reachable without a token
    path(
        "schema/", public(SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[])), name="schema"
    ),
    path("docs/", docs_page, name="docs"),
    path("me/", views.MeViewSet.as_view({"get": "me"}), name="me"),
    *router.urls,
]
