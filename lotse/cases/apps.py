from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = _("Case management")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.cases.audit_actions import ACTIONS

        register(ACTIONS)
        from lotse.cases import dashboard, dashboard_oversight  # noqa: F401  (register dashboard sections)
