from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "lotse.committees"
    label = "committees"
    verbose_name = _("Committees")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.committees.audit_actions import ACTIONS

        register(ACTIONS)
