"""The orjson renderer writes what DRF's JSON renderer writes."""

import datetime as dt
import decimal
import json
import uuid
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DrfJSONRenderer

from qalxan.core.api.filters import FilterBackend
from qalxan.core.api.renderers import JSONRenderer


def test_same_json_as_drf() -> None:
    data: Any = {
        "text": "Azərbaycan — Россия ✓ \u2028",
        "lazy": gettext_lazy("Search"),
        "int": 2**62,
        "big": 2**70,
        "float": 0.1,
        "decimal": decimal.Decimal("12.50"),
        "none": None,
        "bool": [True, False],
        "when": dt.datetime(2026, 12, 1, 8, 30, 5, 123456, tzinfo=dt.UTC),
        "day": dt.date(2026, 12, 1),
        "time": dt.time(8, 30),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "nested": [{"a": 1}, (2, 3), {4: "four"}],
    }
    ours, theirs = JSONRenderer().render(data), DrfJSONRenderer().render(data)
    assert json.loads(ours) == json.loads(theirs)
    small = {k: v for k, v in data.items() if k != "big"}  # beyond 64 bits DRF's renderer writes it
    assert JSONRenderer().render(small) == DrfJSONRenderer().render(small)
    assert JSONRenderer().render(None) == b""
    indented = JSONRenderer().render({"a": 1}, "application/json; indent=2")
    assert indented == DrfJSONRenderer().render({"a": 1}, "application/json; indent=2")


class _Request:
    def __init__(self, params: str) -> None:
        self.query_params = QueryDict(params)


def test_filter_backend_skips_only_when_no_filter_is_named() -> None:
    from qalxan.registry.filtersets import InformationSystemFilterSet
    from qalxan.registry.models import InformationSystem

    class View:
        filterset_class = InformationSystemFilterSet

    backend = FilterBackend()
    queryset = InformationSystem.objects.all()
    # No filter named: the very same queryset comes back, no filterset is built.
    assert backend.filter_queryset(_Request("page=2"), queryset, View()) is queryset
    narrowed = backend.filter_queryset(_Request("state=designated"), queryset, View())
    assert narrowed is not queryset and "state" in str(narrowed.query)
    prefixed = backend.filter_queryset(_Request("review_due_before=2026-01-01"), queryset, View())
    assert "review_due_date" in str(prefixed.query)


def test_menu_is_built_once_per_set_of_roles(world: Any) -> None:
    from django.utils import translation

    from qalxan.core import navigation

    navigation._MENUS.clear()
    # An earlier test's request may have left another language active in this thread.
    translation.activate("az")
    officer, supervisor = world.users["officer_a"], world.users["supervisor"]
    first = navigation.menu_for(officer, "/registry/")
    assert len(navigation._MENUS) == 1
    again = navigation.menu_for(officer, "/")
    assert len(navigation._MENUS) == 1 and [s["key"] for s in again] == [s["key"] for s in first]
    # The copy handed out is marked per page, the cached one never.
    assert any(s["active"] for s in first) and not any(s["active"] for s in again)
    national = navigation.menu_for(supervisor, "/")
    assert len(navigation._MENUS) == 2
    assert [i["url"] for s in national for i in s["items"]] == [
        i["url"] for s in navigation._build(supervisor) for i in s["items"]
    ]
    with translation.override("ru"):
        russian = navigation.menu_for(officer, "/")
    assert len(navigation._MENUS) == 3 and russian[0]["label"] != first[0]["label"]


# The sidebar loop `base.html` used before the sections were written in Python.
NAV_LOOP = (
    "{% for section in nav_menu %}\n"
    '      <div class="nav-section{% if section.active %} active{% endif %}" '
    'data-section="{{ section.key }}">\n'
    '        <div class="nav-title">{{ section.label }}</div>\n'
    '        {% for item in section.items %}<a href="{{ item.url }}" '
    'class="{% if item.active %}active{% endif %}">{{ item.label }}</a>{% endfor %}\n'
    "      </div>\n"
    "    {% endfor %}"
)


def test_sidebar_written_in_python_is_the_template_loop(world: Any) -> None:
    from django.template import engines
    from django.utils import translation

    from qalxan.core import navigation

    loop = engines["django"].from_string(NAV_LOOP)
    paths = [
        "/",
        "/registry/",
        "/registry/import/",
        "/incidents/measures/",
        "/commission/tasks/",
        "/nowhere/",
    ]
    for language in ("az", "en", "ru"):
        with translation.override(language):
            for user in world.users.values():
                for path in paths:
                    menu = navigation.menu_for(user, path)
                    assert str(navigation.menu_html(menu)) == loop.render({"nav_menu": menu}), (user, path)
    # Labels are escaped as the template escaped them.
    menu = [
        {
            "key": "k<",
            "label": 'A & "B"',
            "active": True,
            "items": [{"url": "/x?a=1&b=2", "label": "<i>", "active": True}],
        }
    ]
    assert str(navigation.menu_html(menu)) == loop.render({"nav_menu": menu})
    assert "&lt;i&gt;" in navigation.menu_html(menu)
