"""URL configuration. Every view carries an access declaration (lotse.access.decorators);
tenant pages live under ``/<tenant-slug>/`` and are resolved against the user's membership."""

from django.urls import include, path

from lotse.core.views import healthz
from lotse.ui.views import language_switch

handler403 = "lotse.ui.views.error_403"
handler404 = "lotse.ui.views.error_404"
handler500 = "django.views.defaults.server_error"

tenant_patterns = [
    path("", include("lotse.tenants.urls")),
    path("audit/", include("lotse.audit.urls")),
    path("", include("lotse.cases.urls")),
    path("", include("lotse.consent.urls")),
    path("agencies/", include("lotse.network.urls")),
    path("steering/", include("lotse.steering.urls")),
    path("committees/", include("lotse.committees.urls")),
    path("supervision/", include("lotse.supervision.urls")),
    path("", include("lotse.feedback.urls_staff")),
    path("funding/", include("lotse.funding.urls")),
    path("reports/", include("lotse.reports.urls")),
    path("privacy/", include("lotse.privacy.urls")),
    path("transfer/", include("lotse.transfer.urls")),
    path("api-tokens/", include("lotse.api.urls_tokens")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("accounts/", include("lotse.accounts.urls")),
    path("invitations/", include("lotse.tenants.invitation_urls")),
    path("feedback/", include("lotse.feedback.urls")),
    path("api/v1/", include("lotse.api.urls")),
    path("", include("lotse.ui.urls")),
    path("<slug:tenant>/", include(tenant_patterns)),
]
