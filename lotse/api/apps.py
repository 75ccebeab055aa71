from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lotse.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        from lotse.api.audit_actions import ACTIONS
        from lotse.audit.actions import register

        register(ACTIONS)
