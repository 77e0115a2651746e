"""Declared workflows: allowed moves, refusals with reasons, permissions, audit of each step."""

import pytest
from django.core.exceptions import PermissionDenied

from qalxan.core.models import AuditEntry, ImportBatch
from qalxan.core.workflows import Transition, TransitionRefused, Workflow

# A real model with a choices field stands in for a domain lifecycle.
flow = Workflow(
    "import",
    "status",
    [
        Transition("commit", ("preview",), "committed", "organizations.import_organization", label="Commit"),
        Transition(
            "reject",
            ("preview",),
            "rejected",
            "organizations.import_organization",
            guards=(lambda obj, ctx: None if ctx.get("reason") else "A reason is required.",),
        ),
    ],
)


@pytest.fixture
def batch(world):
    return ImportBatch.objects.create(
        importer="organizations", created_by=world.users["admin"], filename="x.csv", content=b""
    )


def test_allowed_step_changes_state_and_is_audited(world, batch):
    flow.apply(batch, "commit", actor=world.users["admin"], message="all rows valid")
    batch.refresh_from_db()
    assert batch.status == "committed"
    entry = AuditEntry.objects.get(action="transition", object_id=str(batch.pk))
    assert entry.before == {"status": "preview"} and entry.after == {"status": "committed"}
    assert entry.message == "import.commit: all rows valid"


def test_forbidden_step_is_refused_with_the_state_named(world, batch):
    flow.apply(batch, "commit", actor=world.users["admin"])
    with pytest.raises(TransitionRefused) as err:
        flow.apply(batch, "reject", actor=world.users["admin"], context={"reason": "x"})
    assert "reject" in err.value.messages[0]


def test_guard_reason_is_reported(world, batch):
    with pytest.raises(TransitionRefused) as err:
        flow.apply(batch, "reject", actor=world.users["admin"])
    assert err.value.messages == ["A reason is required."]
    batch.refresh_from_db()
    assert batch.status == "preview"


def test_permission_is_checked(world, batch):
    with pytest.raises(PermissionDenied):
        flow.apply(batch, "commit", actor=world.users["officer_a"])
    # Guards are checked against the details given with the step, not when listing the steps.
    assert [t.name for t in flow.available(batch, world.users["admin"])] == ["commit", "reject"]
    assert flow.available(batch, world.users["officer_a"]) == []
