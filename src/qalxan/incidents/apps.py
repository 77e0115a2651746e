from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "qalxan.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from qalxan.incidents import dashboard, demo, metrics, navigation, permissions, tasks  # noqa: F401
