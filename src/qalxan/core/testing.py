"""Factories and helpers shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.db import models

from qalxan.core.roles import Role
from qalxan.organizations.models import Membership, Organization
from qalxan.organizations.services import _rebuild_paths

PASSWORD = "Test-password-2026"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.az")

    # factory_boy passes the built object as the first argument.
    @factory.post_generation
    def password(obj: Any, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    name_az = factory.Sequence(lambda n: f"Təşkilat {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    kind = "ministry"

    @classmethod
    def _create(cls, model_class: type[Organization], *args: Any, **kwargs: Any) -> Organization:
        org = super()._create(model_class, *args, **kwargs)
        _rebuild_paths(org)
        return org


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.INSTITUTION_OFFICER


def person(
    role: str, organization: Organization, username: str | None = None, *, include_subordinates: bool = False
) -> Any:
    """A user holding `role` in `organization`."""
    user: Any = UserFactory(username=username or f"{role}.{organization.code}")
    Membership.objects.get_or_create(
        user=user,
        organization=organization,
        role=role,
        defaults={"include_subordinates": include_subordinates},
    )
    return user


# --- The tenancy walk: every app declares, per API model, how to make an object owned by an organisation.


@dataclass
class TenancyCase:
    """How the tenancy test makes an object owned by an organisation, and a create request for one."""

    model: type[models.Model]
    make: Callable[[Any, Any], models.Model]  # (world, organization) -> object owned by it
    create_payload: Callable[[Any, Any], dict[str, Any]] | None = None  # (world, organization) -> POST body
    owner_ids: Callable[[models.Model], set[int]] | None = None  # organisations an object belongs to
    personal: bool = False  # owned by a person (world.stranger: not the caller), not an organisation
    reference: bool = False  # shared reference data, readable by everyone signed in
    # A text that appears in an export of the object and nowhere else (for export routes).
    marker: Callable[[models.Model], str] | None = None


TENANCY_CASES: dict[type[models.Model], TenancyCase] = {}


def tenancy_case(case: TenancyCase) -> TenancyCase:
    TENANCY_CASES[case.model] = case
    return case


# --- Browser helpers (see the `page` fixture in the root conftest.py).


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the navigation."""
    page.goto(page.base + "/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_selector("nav.sidebar")


def screenshot(page: Any, name: str) -> None:
    """Keep a full-page screenshot under var/…/screenshots for people to look at."""
    import os
    from pathlib import Path

    shots = Path(os.environ.get("QALXAN_VAR_DIR", "var/test")) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


# --- API fuzzing with schemathesis (tests/test_api_fuzz.py and modules that fuzz their own data).


@contextmanager
def openapi_schema(user: Any) -> Iterator[Any]:
    """The platform's OpenAPI document loaded through the WSGI application, read with `user`'s token."""
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from qalxan.core.services import issue_api_token
    from qalxan.wsgi import application

    # As Django's own test client does: keep the test transaction's connection open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        token = issue_api_token(actor=user, user=user, name="schema")[1]
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/schema/", application, headers={"Authorization": f"Token {token}"}
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz_operations(operations: list[Any], callers: list[Any], *, examples: int = 25) -> list[str]:
    """Fuzz each operation as one of `callers` in turn; the server errors it met, one line each."""

    from qalxan.core.services import issue_api_token

    headers = [
        {"Authorization": f"Token {issue_api_token(actor=user, user=user, name='fuzz')[1]}"}
        for user in callers
    ]
    failures: list[str] = []
    for index, operation in enumerate(operations):
        _fuzz_one(operation, headers[index % len(headers)], failures, examples)
    return failures


def _fuzz_one(operation: Any, caller: dict[str, str], failures: list[str], examples: int) -> None:
    from hypothesis import HealthCheck, given, settings

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=caller)
        if response.status_code >= 500:
            failures.append(
                f"{operation.method.upper()} {case.formatted_path} → {response.status_code}: "
                f"query={case.query} body={str(case.body)[:200]}"
            )

    run()
