from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionConfig(AppConfig):
    name = "qalxan.commission"
    label = "commission"
    verbose_name = _("Commission")

    def ready(self) -> None:
        # Registers grants, the menu, home widgets, the metric, agenda sources and the demo loader.
        from qalxan.commission import dashboard, demo, metrics, navigation, permissions, sources  # noqa: F401
