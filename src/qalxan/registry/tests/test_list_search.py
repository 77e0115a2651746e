"""A searched list counted and paged with one scan gives exactly the pages of the count-then-page reading."""

import re

import pytest

from qalxan.registry import queries
from qalxan.registry.tests.factories import system
from qalxan.registry.views import SystemListView

SEARCHES = ["portal", "PORT", "Sistem", "3", "RS-000002", "xidmət", "no-such-system", "%", "_"]
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


@pytest.fixture
def systems(world):
    from qalxan.organizations.models import Sector

    # One sector each, so that every sort order used below is total: the order of rows that tie under
    # a sort is left to the database, in the count-then-page reading as in the one scan.
    sectors = list(Sector.objects.order_by("order"))
    made = []
    for n in range(9):
        owner = world.ministry if n % 3 else world.other
        made.append(
            system(
                world.users["supervisor"],
                owner,
                f"Sistem {n} {'portal' if n % 2 else 'xidmət'}",
                name_en=f"Portal {n}" if n % 4 == 0 else "",
                name_ru="Портал 100%" if n == 5 else "",
                sector=sectors[n],
            )
        )
    return made


def _read_both(monkeypatch, read):
    """`read()` with one scan (at several limits) and with the count-then-page reading it replaces."""
    results = []
    for limit in (1000, 3):
        monkeypatch.setattr(queries, "ONE_SCAN_LIMIT", limit)
        results.append(read())
    with monkeypatch.context() as plain:
        plain.setattr(queries, "searched", lambda queryset: queryset)
        expected = read()
    return results, expected


@pytest.mark.parametrize("who", ["supervisor", "officer_a", "officer_b"])
def test_api_search_pages_are_the_same(world, api, systems, monkeypatch, who):
    client = api(who)

    def read():
        pages = []
        for q in SEARCHES:
            for page in (1, 2, 3, 9):
                response = client.get("/api/v1/registry/systems/", {"q": q, "page_size": 2, "page": page})
                pages.append((q, page, response.status_code, response.content))
        return pages

    results, expected = _read_both(monkeypatch, read)
    assert any(b'"count":0' not in content and status == 200 for _q, _p, status, content in expected)
    for result in results:
        assert result == expected


@pytest.mark.parametrize("who", ["supervisor", "officer_a"])
def test_page_search_is_the_same_html(world, client, systems, monkeypatch, who):
    client.force_login(world.users[who])
    monkeypatch.setattr(SystemListView, "per_page", 2)

    def read():
        pages = []
        for q in SEARCHES:
            for sort in ("", "name", "-registry_number", "sector"):
                for page in (1, 2, 4):
                    response = client.get("/registry/", {"q": q, "sort": sort, "page": page})
                    pages.append(
                        (q, sort, page, response.status_code, CSRF.sub(r"\1", response.content.decode()))
                    )
        return pages

    results, expected = _read_both(monkeypatch, read)
    assert any("page 1 of" in html or "səhifə" in html for *_rest, html in expected)
    for result in results:
        assert result == expected


def test_one_scan_reads_the_table_once_for_a_narrow_search(world, systems, django_assert_num_queries):
    from qalxan.registry.models import InformationSystem

    found = queries.searched(InformationSystem.objects.filter(name_az__icontains="portal"))
    with django_assert_num_queries(2):
        assert found.count() == 4
        assert [s.pk for s in found[1:3]] == [systems[3].pk, systems[5].pk]


def test_postgresql_search_can_use_the_trigram_indexes(world, systems):
    """The search's condition is the indexed expression: the planner may read the matches from the index."""
    from django.db import connection

    from qalxan.registry.filtersets import InformationSystemFilterSet
    from qalxan.registry.models import InformationSystem

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    found = InformationSystemFilterSet({"q": "portal"}, queryset=InformationSystem.objects.all()).qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.order_by().values_list("pk", flat=True).explain()
    assert all(f"registry_{column}_trgm" in plan for column in ("name_az", "name_en", "name_ru")), plan
    assert sorted(found.values_list("pk", flat=True)) == sorted(
        s.pk for s in systems if "portal" in (s.name_az + s.name_en + s.name_ru).lower()
    )
