from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "qalxan.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from django.apps import apps

        from qalxan.incidents import dashboard, demo, metrics, navigation, permissions, tasks  # noqa: F401

        if apps.is_installed("qalxan.commission"):
            from qalxan.incidents import agenda  # noqa: F401  (major incidents as agenda items)
