from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "qalxan.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from qalxan.registry import dashboard, demo, importers, metrics, navigation, permissions  # noqa: F401
