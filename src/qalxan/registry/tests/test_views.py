"""Registry pages: who sees what, edits through services, exports and extracts."""

import pytest

from qalxan.registry.models import InformationSystem
from qalxan.registry.tests.factories import system


@pytest.fixture
def as_user(client, world):
    def sign_in(who):
        client.force_login(world.users[who])
        return client

    return sign_in


@pytest.fixture
def portal(world):
    return system(
        world.users["officer_a"],
        world.ministry,
        "Portal",
        ip_ranges=["85.132.16.0/24"],
        responsible_name="Leyla Məmmədova",
    )


def test_pages_render_for_a_supervisor(world, as_user, portal):
    client = as_user("supervisor")
    for url in (
        "/registry/",
        "/registry/overview/",
        f"/registry/{portal.pk}/",
        f"/registry/{portal.pk}/impact/",
        f"/registry/{portal.pk}/assess/",
        "/registry/add/",
        "/registry/import/",
        f"/registry/{portal.pk}/edit/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/registry/{portal.pk}/").content.decode()
    assert "85.132.16.0/24" in page and "Leyla Məmmədova" in page


def test_analyst_reads_without_addresses_or_contacts(world, as_user, portal):
    page = as_user("analyst").get(f"/registry/{portal.pk}/").content.decode()
    assert "Portal" in page and "85.132.16.0/24" not in page and "Leyla Məmmədova" not in page
    assert as_user("analyst").get(f"/registry/{portal.pk}/assess/").status_code == 403


def test_other_subject_gets_404_everywhere(world, as_user, portal):
    client = as_user("officer_b")
    for url in (
        f"/registry/{portal.pk}/",
        f"/registry/{portal.pk}/impact/",
        f"/registry/{portal.pk}/edit/",
        f"/registry/{portal.pk}/extract.docx",
    ):
        assert client.get(url).status_code in {403, 404}, url
    assert client.post(f"/registry/{portal.pk}/step/", {"step": "delist", "reason": "x"}).status_code == 404
    portal.refresh_from_db()
    assert portal.state == "identified"
    body = b"".join(client.get("/registry/export.csv").streaming_content).decode("utf-8-sig")
    assert "Portal" not in body


def test_officer_registers_and_edits_through_the_form(world, as_user):
    from qalxan.organizations.models import Sector

    client = as_user("officer_a")
    response = client.post(
        "/registry/add/",
        {
            "name_az": "Yeni portal",
            "kind": "website",
            "sector": Sector.objects.get(code="energy").pk,
            "owner": world.ministry.pk,
            "hosting": "azstatenet",
            "ip_ranges": "85.132.17.0/24\n10.0.0.0/8",
        },
    )
    assert response.status_code == 200 and "10.0.0.0/8" in response.content.decode()
    assert not InformationSystem.objects.exists()
    response = client.post(
        "/registry/add/",
        {
            "name_az": "Yeni portal",
            "kind": "website",
            "sector": Sector.objects.get(code="energy").pk,
            "owner": world.ministry.pk,
            "hosting": "azstatenet",
            "ip_ranges": "85.132.17.0/24",
        },
    )
    assert response.status_code == 302
    created = InformationSystem.objects.get()
    assert list(created.ip_ranges.values_list("cidr", flat=True)) == ["85.132.17.0/24"]
    import re

    form = client.get("/registry/add/").content.decode()
    owner_select = re.search(r'<select name="owner".*?</select>', form, re.S).group(0)
    assert f'value="{world.ministry.pk}"' in owner_select
    assert f'value="{world.other.pk}"' not in owner_select  # another institution is not offered as owner


def test_step_refusal_is_shown_and_changes_nothing(world, as_user, portal):
    client = as_user("supervisor")
    response = client.post(
        f"/registry/{portal.pk}/step/", {"step": "designate", "category": "I"}, follow=True
    )
    assert response.status_code == 200
    portal.refresh_from_db()
    assert portal.state == "identified" and portal.category == ""
    assert "msg-error" in response.content.decode()


def test_list_filters_and_extract(world, as_user, portal):
    from io import BytesIO

    from docx import Document

    system(world.users["supervisor"], world.other, "Başqa")
    client = as_user("supervisor")
    page = client.get("/registry/", {"owner": world.ministry.pk}).content.decode()
    assert "Portal" in page and "Başqa" not in page
    assert (
        client.get("/registry/", {"q": portal.registry_number}).content.decode().count(portal.registry_number)
        >= 1
    )
    docx = client.get(f"/registry/{portal.pk}/extract.docx")
    table_text = " ".join(
        c.text for t in Document(BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert portal.registry_number in table_text and "Portal" in table_text


def test_list_rows_written_in_python_escape_and_link(world, as_user, portal):
    odd = system(world.users["supervisor"], world.ministry, '<script>alert("x")</script> & Co')
    page = as_user("supervisor").get("/registry/", {"owner": world.ministry.pk}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    assert f'<a href="/registry/{odd.pk}/">{odd.registry_number}</a>' in page
    assert f'<a href="/registry/{portal.pk}/">Portal</a>' in page
    assert "Nothing here yet" not in page
    empty = as_user("supervisor").get("/registry/", {"q": "no-such-system-anywhere"}).content.decode()
    assert "<tbody>" in empty and 'class="empty"' in empty


def test_list_page_top_bar_counts_only_unread_notifications_of_the_person(world, as_user, portal):
    from qalxan.core import services as core_services

    supervisor, analyst = world.users["supervisor"], world.users["analyst"]
    client = as_user("supervisor")
    assert 'class="badge"' not in client.get("/registry/").content.decode()
    notes = core_services.notify(recipients=[supervisor, supervisor, analyst], subject="Bir")
    core_services.notify(recipients=[supervisor, analyst], subject="İki")
    assert '<span class="badge">2</span>' in client.get("/registry/").content.decode()
    core_services.mark_notifications_read(actor=supervisor, ids=[notes[0].pk])
    assert '<span class="badge">1</span>' in client.get("/registry/").content.decode()
    core_services.mark_notifications_read(actor=supervisor)
    assert 'class="badge"' not in client.get("/registry/").content.decode()


def test_list_page_follows_the_role_policy_on_two_factor(world, as_user):
    from qalxan.core import services as core_services

    admin = world.users["admin"]
    client = as_user("officer_a")
    assert client.get("/registry/").status_code == 200
    core_services.set_role_policy(actor=admin, role="institution_officer", require_two_factor=True)
    response = client.get("/registry/")
    assert response.status_code == 302 and response["Location"].endswith("/account/two-factor/setup/")
    core_services.set_role_policy(actor=admin, role="institution_officer", require_two_factor=False)
    assert client.get("/registry/").status_code == 200
    core_services.set_role_policy(actor=admin, role="supervisor", require_two_factor=True)
    assert client.get("/registry/").status_code == 200
