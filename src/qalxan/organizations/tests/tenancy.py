"""Tenancy cases of the core and organisations APIs (see tests/test_tenancy_walk.py)."""

import uuid

from qalxan.core.models import ApiToken, AuditEntry, Notification
from qalxan.core.services import issue_api_token, notify
from qalxan.core.testing import OrganizationFactory, TenancyCase, UserFactory, tenancy_case
from qalxan.organizations.models import Contact, Membership, Organization, Sector


def _sub(world, org):
    return OrganizationFactory(
        code=f"walk-{org.code}-{Organization.objects.count()}", kind="subordinate_body", parent=org
    )


tenancy_case(
    TenancyCase(
        Organization,
        make=_sub,
        create_payload=lambda world, org: {
            "code": "walk-new",
            "short_name": "WN",
            "name_az": "Yeni",
            "kind": "subordinate_body",
            "parent": org.pk,
        },
        owner_ids=lambda obj: {int(p) for p in obj.path.strip("/").split("/")},
    )
)
tenancy_case(
    TenancyCase(
        Contact,
        make=lambda world, org: Contact.objects.create(organization=org, full_name="Walk Contact"),
        create_payload=lambda world, org: {"organization": org.pk, "full_name": "Intruder"},
    )
)
tenancy_case(
    TenancyCase(
        Membership,
        make=lambda world, org: Membership.objects.create(
            user=UserFactory(), organization=org, role="institution_viewer"
        ),
        create_payload=lambda world, org: {
            "user": world.users["officer_a"].pk,
            "organization": org.pk,
            "role": "institution_officer",
        },
    )
)
tenancy_case(
    TenancyCase(
        AuditEntry,
        make=lambda world, org: AuditEntry.objects.create(
            action="update", organization=org, object_repr=f"walk-{uuid.uuid4().hex}"
        ),
        marker=lambda entry: entry.object_repr,
    )
)
tenancy_case(
    TenancyCase(
        ApiToken,
        personal=True,
        make=lambda world, org: issue_api_token(actor=world.stranger, user=world.stranger, name="walk")[0],
    )
)
tenancy_case(
    TenancyCase(
        Notification,
        personal=True,
        make=lambda world, org: notify(recipients=[world.stranger], subject="walk")[0],
    )
)
tenancy_case(TenancyCase(Sector, reference=True, make=lambda world, org: Sector.objects.first()))


def _user(world, org):
    user = UserFactory()
    Membership.objects.create(user=user, organization=org, role="institution_viewer")
    return user


tenancy_case(
    TenancyCase(
        __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model(),
        make=_user,
        owner_ids=lambda obj: set(obj.memberships.values_list("organization_id", flat=True)),
    )
)
