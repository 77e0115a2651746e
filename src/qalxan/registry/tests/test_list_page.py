"""The list page's filter fields written in Python are the HTML the template loop wrote, for every list."""

import pytest
from django.http import QueryDict
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

from qalxan.core.views.generic import ObjectListView, filter_fields_html

# The loop `core/object_list.html` used before the fields were written in Python.
TEMPLATE_LOOP = (
    "{% load qalxan %}{% for field in filterset.form %}\n"
    '    <label>{{ field.label }} {% if field.name == "q" %}'
    '<input type="search" name="q" value="{{ field.value|default:\'\' }}">'
    "{% else %}{% filter_widget field %}{% endif %}</label>\n"
    "  {% endfor %}"
)


def _list_views():
    found = {}

    def walk(patterns):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns)
                continue
            view = getattr(entry.callback, "view_class", None)
            if isinstance(view, type) and issubclass(view, ObjectListView) and view.filterset_class:
                found[view.__qualname__] = view

    walk(get_resolver().url_patterns)
    return found


def _bound_data(filterset_class, queryset, pick):
    """A value for every field: the first or last of its choices, text that needs escaping, or junk."""
    form = filterset_class(None, queryset=queryset).form
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        choices = [key for key, _label in getattr(field, "choices", []) if key not in ("", None)]
        if choices:
            data.setlist(name, [str(choices[0 if pick else -1])])
        else:
            data.setlist(name, ['<b>"x" & y</b>' if pick else "2026-02-30"])
    return data


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_filter_fields_are_the_template_loop_html_for_every_list(world, language):
    views = _list_views()
    assert "SystemListView" in views
    loop = engines["django"].from_string(TEMPLATE_LOOP)
    with translation.override(language):
        for name, view in views.items():
            queryset = view.queryset.all()
            for data in (None, _bound_data(view.filterset_class, queryset, True)):
                forms = [view.filterset_class(data, queryset=queryset)]
                if data:
                    forms.append(
                        view.filterset_class(
                            _bound_data(view.filterset_class, queryset, False), queryset=queryset
                        )
                    )
                for filterset in forms:
                    expected = loop.render({"filterset": filterset})
                    assert str(filter_fields_html(filterset.form)) == expected, name


def test_list_page_shows_the_filter_fields_with_the_request_values(world, client):
    client.force_login(world.users["supervisor"])
    page = client.get("/registry/", {"q": '<b>"Portal"</b>', "state": "designated"}).content.decode()
    assert '<input type="search" name="q" value="&lt;b&gt;&quot;Portal&quot;&lt;/b&gt;">' in page
    assert '<option value="designated" selected>' in page
    assert page.count("<label>") >= 10 and '<form class="filters"' in page
