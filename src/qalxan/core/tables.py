"""Tables of the core app."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import AuditEntry


class AuditEntryTable(tables.Table):
    timestamp = tables.DateTimeColumn(
        format="Y-m-d H:i:s", linkify=("core:audit_detail", {"pk": tables.A("pk")})
    )
    actor_username = tables.Column(verbose_name=_("User"))
    action = tables.Column()
    object_type = tables.Column(
        accessor="content_type__model", verbose_name=_("Object type"), orderable=False
    )
    object_repr = tables.Column(verbose_name=_("Object"))
    ip_address = tables.Column()

    class Meta:
        model = AuditEntry
        fields = ["timestamp", "actor_username", "action", "object_type", "object_repr", "ip_address"]
        attrs = {"class": "table"}


class UserTable(tables.Table):
    username = tables.Column(linkify=("core:user_detail", {"pk": tables.A("pk")}))
    full_name = tables.Column(
        accessor="get_full_name", verbose_name=_("Name"), order_by=("last_name", "first_name")
    )
    email = tables.Column()
    is_active = tables.BooleanColumn()
    last_login = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = get_user_model()
        fields = ["username", "full_name", "email", "is_active", "last_login"]
        attrs = {"class": "table"}
