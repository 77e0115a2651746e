from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "qalxan.strategy"
    label = "strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        # Registers grants, metric functions, the menu, widgets, the importer and the demo loader.
        from django.apps import apps

        from qalxan.strategy import dashboard, demo, importers, metrics, navigation, permissions  # noqa: F401

        if apps.is_installed("qalxan.commission"):
            from qalxan.strategy import agenda  # noqa: F401  (actions behind schedule as agenda items)
