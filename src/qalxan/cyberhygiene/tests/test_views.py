"""Pages: the dashboard and the lists answer for each role; the upload form refuses bad input with a 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = [
    "/cyberhygiene/",
    "/cyberhygiene/accounts/",
    "/cyberhygiene/victims/",
    "/cyberhygiene/admins/",
    "/cyberhygiene/training/",
    "/cyberhygiene/phishing/",
    "/cyberhygiene/report.xlsx",
]


@pytest.mark.parametrize("who", ["analyst", "officer_a", "viewer_a", "auditor"])
def test_pages_answer(world: Any, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    for page in PAGES:
        assert client.get(page).status_code == 200, (who, page)
    leaks = client.get("/cyberhygiene/leaks/").status_code
    assert leaks == (200 if who in {"analyst", "auditor"} else 403)


def test_upload_form_refuses_bad_input(world: Any) -> None:
    client = Client()
    client.force_login(world.users["analyst"])
    assert client.post("/cyberhygiene/leaks/add/", {"name": ""}).status_code == 400
    client.force_login(world.users["officer_a"])
    assert client.get("/cyberhygiene/leaks/add/").status_code == 403
