from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lotse.privacy"
    label = "privacy"
    verbose_name = _("Privacy operations")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.privacy.audit_actions import ACTIONS

        register(ACTIONS)
