from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "lotse.steering"
    label = "steering"
    verbose_name = _("Strategic steering")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.steering.audit_actions import ACTIONS

        register(ACTIONS)
