"""ReferenceField answers as DRF's PrimaryKeyRelatedField over the restricted queryset would."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from qalxan.core.api.fields import ReferenceField
from qalxan.core.tenancy import restrict
from qalxan.incidents.models import TaxonomyType
from qalxan.organizations.models import Organization
from qalxan.registry.models import SpecialRequirements

PERMISSION = "incidents.add_incident"


def _pair(world: Any, who: str) -> tuple[Any, Any]:
    """The new field and DRF's, each bound to a serializer whose request is `who`'s."""
    request = type("Request", (), {"user": world.users[who]})()

    class New(serializers.Serializer):
        organization = ReferenceField(Organization, where={"is_active": True}, permission=PERMISSION)

    class Old(serializers.Serializer):
        organization = serializers.PrimaryKeyRelatedField(
            queryset=restrict(Organization.objects.filter(is_active=True), world.users[who], PERMISSION)
        )

    return New(context={"request": request}), Old(context={"request": request})


def _outcome(serializer: Any, value: Any) -> tuple[bool, Any]:
    field = serializer.fields["organization"]
    try:
        return True, field.to_internal_value(value).pk
    except serializers.ValidationError as error:
        return False, [str(e) for e in error.detail]


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "analyst", "admin", "commission_member"])
def test_choices_and_refusals_are_drfs(world: Any, who: str) -> None:
    retired = Organization.objects.create(code="retired", short_name="OLD", name_az="Köhnə", kind="ministry")
    Organization.objects.filter(pk=retired.pk).update(is_active=False)
    values: list[Any] = [
        *(o.pk for o in (world.ministry, world.subordinate, world.other, world.authority, retired)),
        str(world.ministry.pk),
        f" {world.ministry.pk}",
        987654,
        0,
        -1,
        2**63,
        2**70,
        "abc",
        "",
        1.0 * world.ministry.pk,
        True,
        [world.ministry.pk],
        {"id": 1},
    ]
    new, old = _pair(world, who)
    for value in values:
        assert _outcome(new, value) == _outcome(old, value), (who, value)
    assert set(new.fields["organization"].get_queryset()) == set(old.fields["organization"].queryset)


def test_one_statement_with_the_related_object_read_along(world: Any) -> None:
    field = ReferenceField(TaxonomyType, related="taxonomy_class")
    field.bind("taxonomy_type", serializers.Serializer())
    chosen = TaxonomyType.objects.select_related("taxonomy_class").get(code="ddos")
    with CaptureQueriesContext(connection) as queries:
        found = field.to_internal_value(chosen.pk)
        assert found.taxonomy_class.code == chosen.taxonomy_class.code
    assert len(queries) == 1
    assert {f.attname: getattr(found, f.attname) for f in TaxonomyType._meta.concrete_fields} == {
        f.attname: getattr(chosen, f.attname) for f in TaxonomyType._meta.concrete_fields
    }
    with pytest.raises(serializers.ValidationError):
        field.to_internal_value(987654)


def test_a_tenant_path_through_other_tables_uses_drfs_look_up(world: Any) -> None:
    """Special-requirement versions belong to a system's owner: the scope cannot be checked on the row."""

    class New(serializers.Serializer):
        version = ReferenceField(SpecialRequirements, permission="registry.view_informationsystem")

    request = type("Request", (), {"user": world.users["officer_b"]})()
    with pytest.raises(serializers.ValidationError):
        New(context={"request": request}).fields["version"].to_internal_value(987654)
