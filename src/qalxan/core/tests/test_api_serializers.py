"""PrototypeFieldsMixin: fields worked out once per class and copied per instance behave as DRF's own."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from qalxan.core.api.serializers import PrototypeFieldsMixin
from qalxan.organizations.models import Organization

pytestmark = pytest.mark.django_db


class _File(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    size = serializers.IntegerField(min_value=0)


class _Plain(serializers.ModelSerializer):
    numbers = serializers.ListField(child=serializers.IntegerField(max_value=9), required=False)
    labels = serializers.DictField(child=serializers.CharField(max_length=3), required=False)
    files = _File(many=True, required=False)
    one_file = _File(required=False)
    parents = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )

    class Meta:
        model = Organization
        fields = ["id", "code", "short_name", "numbers", "labels", "files", "one_file", "parents"]


class _Copied(PrototypeFieldsMixin, _Plain):
    class Meta(_Plain.Meta):
        pass


def _both(data: dict[str, Any]) -> tuple[Any, Any]:
    plain, copied = _Plain(data=data), _Copied(data=data)
    return (plain.is_valid(), plain.errors, dict(plain.validated_data)), (
        copied.is_valid(),
        copied.errors,
        dict(copied.validated_data),
    )


@pytest.mark.parametrize(
    "data",
    [
        {"code": "a", "short_name": "A"},
        {"code": "b", "short_name": "B", "numbers": [1, 2], "labels": {"x": "abc"}},
        {"code": "c", "short_name": "C", "numbers": [1, 20], "labels": {"x": "abcd"}},
        {"code": "d", "short_name": "D", "files": [{"name": "f", "size": 1}, {"name": "g", "size": -1}]},
        {"code": "e", "short_name": "E", "files": "nope", "one_file": {"name": "x" * 11, "size": 0}},
        {"code": "f", "short_name": "F", "parents": [999999]},
    ],
)
def test_copies_validate_as_drf_does(data: dict[str, Any]) -> None:
    assert _both(data)[0] == _both(data)[1]


def test_every_instance_has_its_own_fields_and_inner_fields() -> None:
    first, second = _Copied(data={}), _Copied(data={})
    for name in ("numbers", "labels", "files", "parents", "code"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
    assert first.fields["numbers"].child.parent is first.fields["numbers"]
    assert first.fields["labels"].child.parent is first.fields["labels"]
    assert first.fields["files"].child.parent is first.fields["files"]
    assert first.fields["files"].child is not second.fields["files"].child
    assert first.fields["parents"].child_relation.parent is first.fields["parents"]
    assert first.fields["files"].child.fields["name"].parent is first.fields["files"].child
    assert first.fields["files"].child.root is first
    first.fields["code"].read_only = True
    first.fields["numbers"].child.max_value = 100
    assert not second.fields["code"].read_only
    assert second.fields["numbers"].child.max_value == 9


def test_a_nested_error_stays_with_its_request() -> None:
    bad = _Copied(data={"code": "x", "short_name": "X", "files": [{"name": "f", "size": -1}]})
    assert not bad.is_valid()
    good = _Copied(data={"code": "y", "short_name": "Y", "files": [{"name": "f", "size": 1}]})
    assert good.is_valid(), good.errors
    assert good.validated_data["files"] == [{"name": "f", "size": 1}]


def test_representation_is_drf_s() -> None:
    org = Organization.objects.create(code="rep", short_name="REP", name_az="Rep", kind="ministry")
    org.numbers, org.labels, org.files = [1], {"k": "v"}, [{"name": "n", "size": 2}]
    org.one_file = {"name": "o", "size": 3}
    assert _Copied(org).data == _Plain(org).data


def test_unique_sets_are_validated_as_drf_does() -> None:
    from qalxan.commission.models import RegistrationSequence

    class Plain(serializers.ModelSerializer):
        class Meta:
            model = RegistrationSequence
            fields = ["kind", "year", "last"]

    class Copied(PrototypeFieldsMixin, Plain):
        class Meta(Plain.Meta):
            pass

    assert [type(v) for v in Copied().validators] == [type(v) for v in Plain().validators]
    assert Plain().validators, "the model's unique set makes a validator"
    assert _Copied().validators == _Plain().validators == []
