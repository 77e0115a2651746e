"""The main paths in a real Chromium (Debian's), driven by Playwright against a live server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qalxan.core.testing import screenshot as _shot
from qalxan.core.testing import sign_in as _sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_sign_in_switch_language_open_every_module_and_sign_out(page: Any) -> None:
    page.goto(page.base + "/")
    assert page.get_attribute("html", "lang") == "az"  # Azerbaijani first, whatever the browser says
    _sign_in(page, "admin")
    _shot(page, "home-az")

    page.click("[data-testid=language-switcher] button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "Organisations" in page.inner_text("nav.sidebar")
    page.click("[data-testid=language-switcher] button[value=ru]")
    page.wait_for_selector("html[lang=ru]")
    assert "Организации" in page.inner_text("nav.sidebar")
    page.click("[data-testid=language-switcher] button[value=az]")
    page.wait_for_selector("html[lang=az]")

    links = page.eval_on_selector_all("nav.sidebar a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) >= 6
    for href in links:
        response = page.goto(page.base + href)
        assert response.status == 200, href
        assert page.inner_text("main h1"), href
        _shot(page, "page" + href.strip("/").replace("/", "-"))

    page.click("[data-testid=logout]")
    page.wait_for_selector("#id_username")
    assert page.goto(page.base + "/organizations/").url.endswith("/account/login/?next=/organizations/")


@pytest.mark.django_db(transaction=True)
def test_filters_update_the_table_in_place(page: Any) -> None:
    _sign_in(page, "admin")
    page.goto(page.base + "/organizations/")
    page.fill("input[name=q]", "MIN-B")
    page.wait_for_function("() => !document.querySelector('#object-table').innerText.includes('MIN-A')")
    assert "MIN-B" in page.inner_text("#object-table")
    assert "q=MIN-B" in page.url  # the filter is in the address, so it can be shared


@pytest.mark.django_db(transaction=True)
def test_import_shows_bad_rows_then_commits_a_good_file(page: Any, tmp_path: Path) -> None:
    _sign_in(page, "admin")
    bad = tmp_path / "bad.csv"
    bad.write_text("code,short_name,name_az,kind\nok-org,OK,Yaxşı,ministry\nBad Code,B,Pis,planet\n")
    page.goto(page.base + "/organizations/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("form.form button[type=submit]")
    errors = page.inner_text("[data-testid=import-errors]")
    assert "3" in errors and "kind" in errors and "code" in errors
    _shot(page, "import-errors")

    good = tmp_path / "good.csv"
    good.write_text(
        "code,short_name,name_az,kind,parent\nnew-body,NB,Yeni qurum,subordinate_body,ministry-b\n"
    )
    page.set_input_files("input[type=file]", str(good))
    page.click("form.form button[type=submit]")
    page.wait_for_selector("[data-testid=import-preview]")
    page.click("[data-testid=import-preview] button")
    page.wait_for_selector(".messages")
    page.goto(page.base + "/organizations/?q=NB")
    assert "Yeni qurum" in page.inner_text("#object-table")


@pytest.mark.django_db(transaction=True)
def test_institution_officer_sees_only_own_organisations(page: Any) -> None:
    _sign_in(page, "officer.b")
    nav = page.inner_text("nav.sidebar")
    assert 'href="/users/"' not in page.content() and 'href="/organizations/import/"' not in page.content()
    page.goto(page.base + "/organizations/")
    table = page.inner_text("#object-table")
    assert "MIN-B" in table and "MIN-A" not in table
    assert page.goto(page.base + "/users/").status == 403
    assert nav
