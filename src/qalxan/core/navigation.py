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
    menu: list[dict[str, Any]] = []
    for section in sections():
        items: list[dict[str, Any]] = []
        for item in section.items:
            if has_permission(user, item.permission):
                items.append({"label": item.label, "url": reverse(item.url_name), "active": False})
        if items:
            menu.append(
                {
                    "key": section.key,
                    "label": section.label,
                    "icon": section.icon,
                    "items": items,
                    "active": False,
                }
            )
    # The active entry is the one whose address is the longest prefix of the current page.
    candidates = [
        (len(i["url"]), s, i) for s in menu for i in s["items"] if current_path.startswith(i["url"])
    ]
    if candidates:
        _length, section_entry, item_entry = max(candidates, key=lambda c: c[0])
        item_entry["active"] = section_entry["active"] = True
    return menu


def register_core_navigation() -> None:
    register(
        NavSection(
            "administration",
            _("Administration"),
            "gear",
            900,
            (
                NavItem(_("Users"), "core:user_list", "core.view_user"),
                NavItem(_("Role policies"), "core:rolepolicy_list", "core.view_rolepolicy"),
                NavItem(_("Audit log"), "core:audit_list", "core.view_auditentry"),
            ),
        )
    )
