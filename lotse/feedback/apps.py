from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "lotse.feedback"
    label = "feedback"
    verbose_name = _("Client feedback")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.feedback.audit_actions import ACTIONS

        register(ACTIONS)
