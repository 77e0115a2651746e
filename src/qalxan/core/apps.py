from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qalxan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from qalxan.core import permissions, signals  # noqa: F401  (registers grants and audit signals)
        from qalxan.core.navigation import register_core_navigation

        register_core_navigation()
