from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "lotse.transfer"
    label = "transfer"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.transfer.audit_actions import ACTIONS

        register(ACTIONS)
