from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyberHygieneConfig(AppConfig):
    name = "qalxan.cyberhygiene"
    label = "cyberhygiene"
    verbose_name = _("Cyber hygiene")

    def ready(self) -> None:
        from qalxan.cyberhygiene import (  # noqa: F401  (registries: grants, menu, widgets, importers, demo, metrics)
            dashboard,
            demo,
            importers,
            metrics,
            navigation,
            permissions,
            tasks,
        )
