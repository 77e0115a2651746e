from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "qalxan.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from qalxan.organizations import dashboard, demo, importers, navigation, permissions  # noqa: F401
