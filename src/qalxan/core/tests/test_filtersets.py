"""The filter form class built once per filterset class and language is the form django-filter builds
on every request."""

import importlib
import importlib.util

import django_filters
import pytest
from django.apps import apps
from django.http import QueryDict
from django.utils import translation

from qalxan.core.filtersets import FilterSet, _form_class_is_shared
from qalxan.core.models import AuditEntry


def _all_filtersets():
    for config in apps.get_app_configs():
        if config.name.startswith("qalxan.") and importlib.util.find_spec(f"{config.name}.filtersets"):
            importlib.import_module(f"{config.name}.filtersets")
    found, todo = [], [FilterSet]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _data(form):
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        choices = [key for key, _label in getattr(field, "choices", []) if key not in ("", None)]
        data.setlist(name, [str(choices[-1])] if choices else ["<x> & 2026-02-30"])
    return data


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_shared_form_is_the_per_request_form_of_every_filterset(db, language):
    classes = _all_filtersets()
    assert len(classes) >= 30
    shared = 0
    with translation.override(language):
        for cls in classes:
            if not _form_class_is_shared(cls):
                continue
            shared += 1
            fresh = django_filters.FilterSet.get_form_class(cls(None))
            for data in (None, _data(fresh())):
                ours, theirs = cls(data).form, fresh(data)
                assert list(ours.fields) == list(theirs.fields), cls
                assert ours.as_p() == theirs.as_p(), cls
                assert ours.is_valid() == theirs.is_valid(), cls
                assert ours.errors == theirs.errors, cls
    assert shared >= 30


class _AutoLabels(FilterSet):
    # No label: django-filter writes one out from the verbose name, in the language active at the time.
    since = django_filters.DateTimeFilter(field_name="timestamp", lookup_expr="gte")

    class Meta:
        model = AuditEntry
        fields = ["since"]


def test_labels_follow_the_language_of_each_request(db):
    labels = {}
    for language in ("en", "ru", "en", "ru"):
        with translation.override(language):
            labels.setdefault(language, []).append(str(_AutoLabels().form.fields["since"].label))
    assert labels["en"][0] == labels["en"][1] != labels["ru"][0] == labels["ru"][1]
    assert _AutoLabels().get_form_class() is _AutoLabels().get_form_class()


def test_a_filterset_that_changes_its_filters_per_instance_builds_its_own_form(db):
    from qalxan.intel.filtersets import SightingFilterSet

    assert not _form_class_is_shared(SightingFilterSet)
    assert SightingFilterSet().get_form_class() is not SightingFilterSet().get_form_class()


@pytest.mark.parametrize("null_label", [None, "None"])
def test_reference_choices_check_values_as_django_does(world, null_label):
    """Sector choices are read once per form; the values the check accepts, the rows it returns (in the
    queryset's order) and the errors it gives are django-filter's."""
    from django.core.exceptions import ValidationError

    from qalxan.core.filtersets import _ReferenceMultipleChoiceField
    from qalxan.organizations.models import Sector

    codes = list(Sector.objects.values_list("code", flat=True))
    assert len(codes) >= 3
    kwargs = {"queryset": Sector.objects.all(), "to_field_name": "code", "required": False}
    if null_label:
        kwargs["null_label"] = null_label
    cases = [[], [codes[0]], [codes[2], codes[0]], [codes[1], codes[1]], ["no-such"], [codes[0], "x"]]
    cases += [["a\x00b"], "not a list", ["null"], ["null", codes[1]]]
    for value in cases:
        ours, theirs = (
            _ReferenceMultipleChoiceField(**kwargs),
            django_filters.fields.ModelMultipleChoiceField(**kwargs),
        )
        try:
            expected = list(theirs.clean(value))
        except ValidationError as exc:
            with pytest.raises(ValidationError) as raised:
                ours.clean(value)
            assert raised.value.messages == exc.messages, value
            continue
        assert list(ours.clean(value)) == expected, value


def test_sector_filter_reads_the_sectors_once(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["supervisor"])
    client.get("/registry/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/registry/", {"sector": "energy"}).content.decode()
    sectors = [q["sql"] for q in queries.captured_queries if 'FROM "organizations_sector"' in q["sql"]]
    assert len(sectors) == 1, sectors
    assert '<option value="energy" selected>' in page


def test_instances_share_declared_choices_and_querysets_but_not_filters(world):
    from qalxan.registry.filtersets import InformationSystemFilterSet

    first, second, third = (InformationSystemFilterSet() for _ in range(3))
    for name in ("q", "kind", "sector"):
        assert first.filters[name] is not second.filters[name] is not third.filters[name]
        assert first.filters[name].parent is first and third.filters[name].parent is third
    assert first.filters["kind"].extra["choices"] is second.filters["kind"].extra["choices"]
    assert first.filters["sector"].extra["queryset"] is second.filters["sector"].extra["queryset"]
    # Changing one instance's filter (by assignment, as django-filter does) leaves the others alone.
    first.filters["kind"].extra["choices"] = [("x", "X")]
    assert second.filters["kind"].extra["choices"] != [("x", "X")]
    assert [k for k, _label in second.form.fields["kind"].choices] == [
        k for k, _label in InformationSystemFilterSet.base_filters["kind"].extra["choices"]
    ]
    # Form fields share the declared choices, not the fields themselves.
    one, two = InformationSystemFilterSet().form, InformationSystemFilterSet().form
    assert one.fields["state"] is not two.fields["state"]
    assert one.fields["state"]._choices.choices is two.fields["state"]._choices.choices
