from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lotse.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.reports.audit_actions import ACTIONS

        register(ACTIONS)
