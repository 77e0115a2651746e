"""The navigation menu: each app registers its section; a section shows only what the person may open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qalxan.core.tenancy import has_permission


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str | Promise
    icon: str
    order: int
    items: tuple[NavItem, ...] = field(default_factory=tuple)


_SECTIONS: dict[str, NavSection] = {}


def register(section: NavSection) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[NavSection]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    menu = []
    for section in sections():
        items = []
        for item in section.items:
            if has_permission(user, item.permission):
                url = reverse(item.url_name)
                items.append({"label": item.label, "url": url, "active": current_path.startswith(url)})
        if items:
            menu.append({"key": section.key, "label": section.label, "icon": section.icon, "items": items,
                         "active": any(i["active"] for i in items)})
    return menu


def register_core_navigation() -> None:
    register(NavSection("administration", _("Administration"), "gear", 900, (
        NavItem(_("Users"), "core:user_list", "core.view_user"),
        NavItem(_("Role policies"), "core:rolepolicy_list", "core.view_rolepolicy"),
        NavItem(_("Audit log"), "core:audit_list", "core.view_auditentry"),
    )))
