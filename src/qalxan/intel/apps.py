from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "qalxan.intel"
    label = "intel"
    verbose_name = _("Threat intelligence")

    def ready(self) -> None:
        from qalxan.intel import dashboard, demo, navigation, panels, permissions, signals, tasks  # noqa: F401
