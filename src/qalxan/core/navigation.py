"""The navigation menu: each app registers its section; a section shows only what the person may open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qalxan.core.tenancy import has_permission, roles_of


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
# Whether a menu entry shows depends only on the person's roles (and superuser status): the menu is
# built once per set of roles, language and script prefix, and copied for each page.
_MENUS: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def register(section: NavSection) -> None:
    _SECTIONS[section.key] = section
    _MENUS.clear()


def sections() -> list[NavSection]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def _build(user: Any) -> list[dict[str, Any]]:
    menu: list[dict[str, Any]] = []
    for section in sections():
        items: list[dict[str, Any]] = []
        for item in section.items:
            if has_permission(user, item.permission):
                items.append({"label": str(item.label), "url": reverse(item.url_name), "active": False})
        if items:
            menu.append(
                {
                    "key": section.key,
                    "label": str(section.label),
                    "icon": section.icon,
                    "items": items,
                    "active": False,
                }
            )
    return menu


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    key = (
        bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)),
        bool(getattr(user, "is_superuser", False)),
        frozenset(roles_of(user)),
        get_language(),
        get_script_prefix(),
    )
    built = _MENUS.get(key)
    if built is None:
        built = _MENUS[key] = _build(user)
    menu = [{**s, "items": [dict(i) for i in s["items"]]} for s in built]
    # The active entry is the one whose address is the longest prefix of the current page.
    candidates = [
        (len(i["url"]), s, i) for s in menu for i in s["items"] if current_path.startswith(i["url"])
    ]
    if candidates:
        _length, section_entry, item_entry = max(candidates, key=lambda c: c[0])
        item_entry["active"] = section_entry["active"] = True
    return menu


def menu_html(menu: list[dict[str, Any]]) -> SafeString:
    """The sidebar's sections as `base.html` wrote them with a template loop (about half of a page's
    template work), written directly; every label and address is escaped."""
    parts = []
    for section in menu:
        items = "".join(
            f'<a href="{escape(item["url"])}" class="{"active" if item["active"] else ""}">'
            f"{escape(item['label'])}</a>"
            for item in section["items"]
        )
        parts.append(
            f'\n      <div class="nav-section{" active" if section["active"] else ""}" '
            f'data-section="{escape(section["key"])}">\n'
            f'        <div class="nav-title">{escape(section["label"])}</div>\n'
            f"        {items}\n      </div>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308  # every value above is escaped


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
