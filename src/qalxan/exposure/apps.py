from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposureConfig(AppConfig):
    name = "qalxan.exposure"
    label = "exposure"
    verbose_name = _("Website exposure")

    def ready(self) -> None:
        from qalxan.exposure import dashboard, demo, navigation, permissions, tasks  # noqa: F401
