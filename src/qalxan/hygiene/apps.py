from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HygieneConfig(AppConfig):
    name = "qalxan.hygiene"
    label = "hygiene"
    verbose_name = _("Endpoint and software hygiene")

    def ready(self) -> None:
        from qalxan.hygiene import dashboard, demo, metrics, navigation, permissions, tasks  # noqa: F401
