"""Sign-in, lockout, API tokens with expiry and revocation, and two-factor per role."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from qalxan.core import services
from qalxan.core.models import ApiToken, AuditEntry
from qalxan.core.testing import PASSWORD


def _token(client, username, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password, **extra}, format="json"
    )


def test_token_exchange_and_use(world):
    client = APIClient()
    response = _token(client, "officer.a")
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).exists()
    assert not ApiToken.objects.filter(key_prefix=key).exists()  # the key itself is never stored
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["username"] == "officer.a"


def test_wrong_password_is_401_with_message(world):
    response = _token(APIClient(), "officer.a", "nope")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_malformed_token_request_is_400_with_field_errors(world):
    response = APIClient().post("/api/v1/auth/token/", {"username": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"username", "password"}
    broken = APIClient().post("/api/v1/auth/token/", data="{not json", content_type="application/json")
    assert broken.status_code == 400


def test_lockout_after_repeated_failures(world, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _token(client, "officer.b", "wrong").status_code == 401
    assert _token(client, "officer.b", "wrong").status_code == 429
    response = _token(client, "officer.b")  # even the right password is refused now
    assert response.status_code == 429
    assert response.json()["detail"]
    from axes.utils import reset

    reset(username="officer.b")
    assert _token(client, "officer.b").status_code == 200


def test_ui_login_lockout(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/login/", {"username": "viewer.a", "password": "wrong"})
    response = client.post("/account/login/", {"username": "viewer.a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_revoked_and_expired_tokens_are_refused(world):
    user = world.users["officer_a"]
    token, key = services.issue_api_token(actor=user, user=user, name="ci")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    assert AuditEntry.objects.filter(action="token_revoked", object_id=str(token.pk)).exists()
    _expired, old_key = services.issue_api_token(
        actor=user, user=user, name="old", expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {old_key}")
    client.cookies["qalxan_language"] = "en"
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_person_cannot_revoke_someone_elses_token(world, api):
    other = world.users["officer_b"]
    token, _key = services.issue_api_token(actor=other, user=other, name="b")
    assert api("officer_a").delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_revokes_a_token_in_the_ui(world, client):
    other = world.users["officer_b"]
    token, _key = services.issue_api_token(actor=other, user=other, name="b")
    client.force_login(world.users["admin"])
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def _confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_two_factor_mandatory_for_role_redirects_to_setup(world, client):
    services.set_role_policy(actor=world.users["admin"], role="analyst", require_two_factor=True)
    client.force_login(world.users["analyst"])
    response = client.get("/organizations/")
    assert response.status_code == 302 and response["Location"].endswith("/account/two-factor/setup/")
    setup = client.get("/account/two-factor/setup/")
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=world.users["analyst"], confirmed=False)
    assert client.post("/account/two-factor/setup/", {"code": _code(device)}).status_code == 302
    assert client.get("/organizations/").status_code == 200


def test_two_factor_device_requires_verification_after_login(world, client):
    services.set_role_policy(actor=world.users["admin"], role="supervisor", require_two_factor=True)
    device = _confirmed_device(world.users["supervisor"])
    client.post("/account/login/", {"username": "supervisor", "password": PASSWORD})
    response = client.get("/organizations/")
    assert "/account/two-factor/verify/" in response["Location"]
    client.post("/account/two-factor/verify/", {"code": _code(device)})
    assert client.get("/organizations/").status_code == 200


def test_roles_without_policy_are_not_forced(world, client):
    client.force_login(world.users["officer_a"])
    assert client.get("/organizations/").status_code == 200


def test_token_request_needs_otp_when_device_is_on(world):
    device = _confirmed_device(world.users["officer_a"])
    assert _token(APIClient(), "officer.a").status_code == 401
    assert _token(APIClient(), "officer.a", otp=_code(device)).status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "auditor"])
def test_only_admin_changes_role_policies(world, client, who):
    client.force_login(world.users[who])
    response = client.post("/settings/roles/", {"admin": "on"})
    assert response.status_code == 403


def test_no_token_without_a_second_factor_when_the_role_requires_one(world):
    services.set_role_policy(actor=world.users["admin"], role="institution_officer", require_two_factor=True)
    response = _token(APIClient(), "officer.a")
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=world.users["officer_a"]).exists()


def test_unmapped_custom_actions_are_refused(world, rf):
    from rest_framework.test import force_authenticate

    from qalxan.core.api.permissions import ScopedPermission

    class View:
        action = "something_new"
        permission_map: dict = {}
        queryset = None

    request = rf.get("/")
    force_authenticate(request, user=world.users["admin"])
    request.user = world.users["admin"]
    assert ScopedPermission().has_permission(request, View()) is False


def test_stale_import_batches_are_purged(world):
    from datetime import timedelta

    from django.utils import timezone

    from qalxan.core.models import ImportBatch
    from qalxan.core.tasks import purge_stale_import_batches

    old = ImportBatch.objects.create(
        importer="organizations", created_by=world.users["admin"], filename="a.csv", content=b"x"
    )
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = ImportBatch.objects.create(
        importer="organizations", created_by=world.users["admin"], filename="b.csv", content=b"x"
    )
    purge_stale_import_batches.call_local()
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_institutions_do_not_see_source_addresses(world, api):
    from qalxan.core.models import AuditEntry

    AuditEntry.objects.create(
        action="update", organization=world.ministry, object_repr="x", ip_address="10.1.2.3"
    )
    rows = api("officer_a").get("/api/v1/audit/").json()["results"]
    assert rows and all(r["ip_address"] is None for r in rows)
    rows = api("auditor").get("/api/v1/audit/").json()["results"]
    assert any(r["ip_address"] == "10.1.2.3" for r in rows)


def test_admin_disables_an_account_and_it_can_no_longer_sign_in(world, client):
    officer = world.users["officer_b"]
    client.force_login(world.users["admin"])
    response = client.post(
        f"/users/{officer.pk}/edit/",
        {"first_name": "Aysel", "last_name": "Əliyeva", "email": "a@x.az", "preferred_language": "az"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_active is False and officer.first_name == "Aysel"
    assert AuditEntry.objects.filter(action="update", object_id=str(officer.pk)).exists()
    assert _token(APIClient(), "officer.b").status_code == 401
    client.force_login(world.users["auditor"])
    assert client.get(f"/users/{officer.pk}/edit/").status_code == 403


def test_token_look_up_gives_what_the_orm_gives(world):
    """The token and its user are read with hand-written SQL on every API request; every value must be
    the ORM's (aware date-times, booleans, the user's own fields)."""
    from qalxan.core.api.authentication import _token_with_user

    user = world.users["officer_a"]
    user.last_login = timezone.now() - timedelta(hours=3)
    user.save()
    _, key = services.issue_api_token(actor=user, user=user, name="sql")
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).update(last_used_at=timezone.now())
    token = _token_with_user(ApiToken.hash_key(key))
    expected = ApiToken.objects.select_related("user").get(key_hash=ApiToken.hash_key(key))
    for field in ApiToken._meta.concrete_fields:
        assert getattr(token, field.attname) == getattr(expected, field.attname), field.name
    for field in type(user)._meta.concrete_fields:
        assert getattr(token.user, field.attname) == getattr(expected.user, field.attname), field.name
    assert timezone.is_aware(token.expires_at) and timezone.is_aware(token.user.last_login)
    assert token.user.is_active is True and not token._state.adding
    assert _token_with_user(ApiToken.hash_key("no such key")) is None


def test_memberships_read_as_the_orm_reads_them(world):
    """Memberships are read with hand-written SQL on every request: same rows, same order."""
    from qalxan.core import tenancy
    from qalxan.organizations.models import Membership

    for user in world.users.values():
        tenancy.forget(user)
        expected = [
            tenancy.MembershipGrant(m.role, m.organization_id, m.organization.path, m.include_subordinates)
            for m in Membership.objects.filter(user=user, organization__is_active=True).select_related(
                "organization"
            )
        ]
        assert tenancy.memberships_of(user) == expected


def test_session_and_user_are_read_as_django_reads_them(world, client):
    """The session row and the signed-in user are read with hand-written SQL on every page: the same
    session data and user fields as Django's own store and backend, expired sessions and inactive or
    missing users refused."""
    from django.contrib.auth.backends import ModelBackend as DjangoBackend
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.contrib.sessions.models import Session

    from qalxan.core.sessions import ModelBackend, SessionStore

    user = world.users["officer_a"]
    user.last_login = timezone.now() - timedelta(hours=2)
    user.save()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    ours, django = SessionStore(key).load(), DjangoStore(key).load()
    assert ours == django and ours["_auth_user_id"] == str(user.pk)
    assert client.get("/registry/").status_code == 200

    found, expected = ModelBackend().get_user(user.pk), DjangoBackend().get_user(user.pk)
    for field in type(user)._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert timezone.is_aware(found.last_login) and not found._state.adding
    assert ModelBackend().get_user(10**9) is None

    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert ModelBackend().get_user(user.pk) is None is DjangoBackend().get_user(user.pk)

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {} == DjangoStore(key).load() and store.session_key is None
    assert client.get("/registry/").status_code == 302
