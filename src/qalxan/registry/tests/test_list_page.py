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


def _row_from_instance(record):
    """The list row as it was written from a model instance before the rows were read as plain values."""
    from django.urls import reverse
    from django.utils.html import format_html

    from qalxan.core.templatetags.qalxan import display

    due = record.review_due_date
    detail = reverse("registry:system_detail", args=[record.pk])
    return format_html(
        '<tr><td><a href="{}">{}</a></td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td></tr>",
        detail,
        record.registry_number,
        detail,
        record.name,
        display(record, "kind"),
        record.sector.name,
        record.owner.short_name,
        display(record, "state"),
        record.category or "—",
        due.strftime("%Y-%m-%d") if due else "—",
    )


@pytest.mark.parametrize("language", ["az", "en", "ru", "de"])
def test_rows_from_values_are_the_rows_from_instances(world, language):
    import datetime

    from qalxan.registry import tables
    from qalxan.registry.models import InformationSystem
    from qalxan.registry.tests.factories import system

    supervisor = world.users["supervisor"]
    system(supervisor, world.ministry, '<script>alert("x")</script> & Co\'s', name_en="E & <n>")
    system(supervisor, world.other, "Yalnız az", name_ru="Только 'ru'", kind="website")
    designated = system(supervisor, world.subordinate, "Təyin edilmiş", name_en="Designated")
    InformationSystem.objects.filter(pk=designated.pk).update(
        state="designated", category="I", review_due_date=datetime.date(2027, 3, 4)
    )
    records = InformationSystem.objects.select_related("sector", "owner").order_by("id")
    values = InformationSystem.objects.order_by("id").values(*tables.ROW_COLUMNS)
    with translation.override(language):
        expected = [str(_row_from_instance(r)) for r in records]
        assert [tables.system_row(v) for v in values] == expected
    assert len(expected) == 3 and "&lt;" in expected[0] and "2027-03-04" in expected[2]


@pytest.mark.parametrize("who", ["supervisor", "officer_a"])
def test_list_pages_are_the_pages_written_from_instances(world, client, monkeypatch, who):
    """Whole pages (sorted, filtered, paged, in each language) as they were when rows came from instances."""
    import re

    from qalxan.core.views.generic import ObjectListView
    from qalxan.organizations.models import Sector
    from qalxan.registry.tests.factories import system
    from qalxan.registry.views import SystemListView

    sectors = list(Sector.objects.order_by("order"))
    for n in range(7):
        owner = (world.ministry, world.subordinate, world.other)[n % 3]
        system(world.users["supervisor"], owner, f"Sistem {n} <&>", name_en=f"System {n}", sector=sectors[n])
    monkeypatch.setattr(SystemListView, "per_page", 3)
    client.force_login(world.users[who])
    csrf = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
    queries = [{}, {"page": 2}, {"sort": "-name"}, {"sort": "sector", "page": 2}, {"q": "Sistem", "page": 3}]
    # Sort orders without ties: the order of rows that tie (e.g. the same owner) is the database's choice.
    queries += [{"owner": world.ministry.pk}, {"kind": "website"}, {"page": 2, "sort": "-registry_number"}]

    def read():
        pages = []
        for language in ("az", "en", "ru"):
            client.cookies["qalxan_language"] = language
            for params in queries:
                response = client.get("/registry/", params)
                assert response.status_code == 200
                pages.append(csrf.sub(r"\1", response.content.decode()))
        return pages

    now = read()
    with monkeypatch.context() as old:
        old.setattr(SystemListView, "page_records", ObjectListView.page_records)
        old.setattr(SystemListView, "render_row", lambda self, record: _row_from_instance(record))
        before = read()
    assert now == before
    assert any("Sistem 1 &lt;&amp;&gt;</a>" in page for page in now)
    assert any("System 1</a>" in page for page in now)


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_filter_inputs_are_djangos_widget_html_for_every_list(world, language):
    """The `<input>` and yes / no `<select>` controls written in Python are what Django's widget templates
    write, with and without values (escaped text, invalid dates), for every filter of every list."""
    from qalxan.core.templatetags.qalxan import _INPUT_TEMPLATES, _SELECT_TEMPLATE, filter_widget

    seen: dict[str, int] = {}
    with translation.override(language):
        for view in _list_views().values():
            queryset = view.queryset.all()
            for data in (
                None,
                _bound_data(view.filterset_class, queryset, True),
                _bound_data(view.filterset_class, queryset, False),
            ):
                form = view.filterset_class(data, queryset=queryset).form
                for bound in form:
                    widget = bound.field.widget
                    plain = getattr(bound.field, "choices", None) is None
                    if widget.template_name in _INPUT_TEMPLATES or (
                        plain and widget.template_name == _SELECT_TEMPLATE
                    ):
                        seen[widget.template_name] = seen.get(widget.template_name, 0) + 1
                        assert str(filter_widget(bound)) == str(bound.as_widget()), bound.name
                    if plain and widget.template_name == _SELECT_TEMPLATE:
                        for key, _label in widget.choices:  # each of its own options selected
                            one = view.filterset_class(QueryDict(f"{bound.name}={key}"), queryset=queryset)
                            chosen = one.form[bound.name]
                            assert str(filter_widget(chosen)) == str(chosen.as_widget()), (bound.name, key)
                            assert " selected>" in str(filter_widget(chosen)), (bound.name, key)
    assert sum(seen.values()) > 30 and seen.get(_SELECT_TEMPLATE, 0) > 3, seen


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_table_head_and_pager_are_the_template_html(world, client, monkeypatch, language):
    """The header cells and the pager written in Python are what the template loop wrote: every sort
    order, first / middle / last / only page, filters in the query, for every list."""
    import re

    from django.urls import get_resolver

    from qalxan.core.views import generic
    from qalxan.registry.tests.factories import system

    for n in range(7):
        system(world.users["supervisor"], world.ministry, f"Sistem {n} <&>", name_en=f"System {n}")
    csrf = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
    client.force_login(world.users["supervisor"])
    client.cookies["qalxan_language"] = language
    views = _list_views()
    for view in views.values():
        monkeypatch.setattr(view, "per_page", 3)
    classes = set(views.values())
    paths = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif getattr(entry.callback, "view_class", None) in classes and "<" not in str(entry.pattern):
                paths.append("/" + prefix + str(entry.pattern))

    walk(get_resolver().url_patterns)
    assert "/registry/" in paths and len(paths) >= 10
    queries = [
        {},
        {"page": 2},
        {"page": 3},
        {"sort": "-name", "page": 2},
        {"sort": "name"},
        {"kind": "website"},
    ]

    def read():
        pages = []
        for path in paths:
            for params in queries if path == "/registry/" else [{}, {"sort": "-id"}, {"page": 2}]:
                response = client.get(path, params)
                if response.status_code != 200:
                    continue
                pages.append(csrf.sub(r"\1", response.content.decode()))
                htmx = client.get(path, params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-table")
                pages.append(csrf.sub(r"\1", htmx.content.decode()))
        return pages

    now = read()
    with monkeypatch.context() as old:
        old.setattr(generic, "table_head_html", lambda table, request: None)  # the template loop
        old.setattr(generic, "table_pager_html", lambda table, request: None)
        before = read()
    assert now == before
    joined = "".join(now)
    assert 'class="pager"' in joined and "sort=-name" in joined and 'class="desc orderable"' in joined


def _select_before(bound):
    """`filter_widget`'s `<select>` as it was written before its options were kept per form class."""
    from django import forms
    from django.forms.models import ModelChoiceIterator
    from django.utils.html import format_html, format_html_join

    field, choices = bound.field, bound.field.choices
    if isinstance(choices, ModelChoiceIterator):
        first = []
        if getattr(field, "empty_label", None) is not None:
            first.append(("", field.empty_label))
        if getattr(field, "null_label", None) is not None:
            first.append((field.null_value, field.null_label))
        choices = first + [choices.choice(obj) for obj in choices.queryset.all()]
    value = bound.value()
    selected = {
        str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")
    }
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, " selected" if str(key) in selected else "", label) for key, label in choices),
    )
    multiple = " multiple" if isinstance(field.widget, forms.SelectMultiple) else ""
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>', bound.html_name, bound.auto_id or "", multiple, options
    )


def test_filter_selects_are_the_html_written_before_their_options_were_kept(world):
    """Options kept per filter form class and language: the same `<select>`s, in every language in
    turn (so a kept option list of one language would show in the next), for every list."""
    from django import forms

    from qalxan.core.templatetags.qalxan import filter_widget

    seen = 0
    for _round in range(2):
        for language in ("az", "en", "ru"):
            with translation.override(language):
                for view in _list_views().values():
                    queryset = view.queryset.all()
                    for data in (None, _bound_data(view.filterset_class, queryset, True)):
                        for bound in view.filterset_class(data, queryset=queryset).form:
                            widget = bound.field.widget
                            if getattr(bound.field, "choices", None) is None:
                                continue
                            if not isinstance(widget, forms.Select | forms.SelectMultiple):
                                continue
                            seen += 1
                            assert str(filter_widget(bound)) == str(_select_before(bound)), (
                                language,
                                bound.name,
                            )
    assert seen > 50
