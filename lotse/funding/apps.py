from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "lotse.funding"
    label = "funding"
    verbose_name = _("Funding control")

    def ready(self) -> None:
        from lotse.audit.actions import register
        from lotse.funding import dashboard  # noqa: F401  (registers the dashboard section)
        from lotse.funding.audit_actions import ACTIONS

        register(ACTIONS)
