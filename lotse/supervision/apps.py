from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "lotse.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from lotse.supervision import dashboard  # noqa: F401  (registers the dashboard sections)
