from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "qalxan.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from django.apps import apps

        from qalxan.compliance import dashboard, demo, navigation, permissions, tasks  # noqa: F401

        if apps.is_installed("qalxan.commission"):
            from qalxan.compliance import agenda  # noqa: F401  (overdue findings as agenda items)
