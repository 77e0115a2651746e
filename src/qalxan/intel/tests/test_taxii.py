"""taxii2-client reads the collections of a live server: discovery, objects with paging, manifest."""

import uuid
from typing import Any

import pytest
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from qalxan.core.testing import PASSWORD
from qalxan.intel.taxii import NAMESPACE
from qalxan.intel.tests.factories import indicator


@pytest.mark.django_db(transaction=True)
def test_taxii2_client_reads_a_collection(live_server: Any, world: Any) -> None:
    from qalxan.intel.models import WarningList, WarningListEntry
    from qalxan.intel.warninglists import ensure_builtin

    ensure_builtin(WarningList, WarningListEntry)
    for n in range(7):
        indicator(f"c2-{n}.evil.az", tlp="GREEN")
    indicator("secret.other.az", org=world.other, tlp="AMBER")
    server = Server(f"{live_server.url}/taxii2/", user="officer.a", password=PASSWORD)
    assert server.title == "Qalxan TAXII"
    root: ApiRoot = server.default
    ids = {c.id: c for c in root.collections}
    green, cert = (str(uuid.uuid5(NAMESPACE, slug)) for slug in ("community-green", "cert-amber"))
    assert green in ids and cert not in ids
    url = ids[green].url
    collection = Collection(url, user="officer.a", password=PASSWORD)
    values = []
    for envelope in as_pages(collection.get_objects, per_request=3):
        values += [o["name"] for o in envelope.get("objects", [])]
    assert sorted(values) == sorted(f"c2-{n}.evil.az" for n in range(7))
    manifest = collection.get_manifest()
    assert len(manifest["objects"]) == 7
    first = manifest["objects"][0]["id"]
    assert collection.get_object(first)["objects"][0]["id"] == first
    later = collection.get_objects(added_after=manifest["objects"][-1]["date_added"])
    assert not later.get("objects")
    # The analyst sees the CERT collections, the AMBER indicator of another institution included.
    analyst_root = Server(f"{live_server.url}/taxii2/", user="analyst", password=PASSWORD).default
    cert_collection = next(c for c in analyst_root.collections if c.id == cert)
    names = [
        o["name"]
        for o in Collection(cert_collection.url, user="analyst", password=PASSWORD)
        .get_objects()
        .get("objects", [])
    ]
    assert "secret.other.az" in names


@pytest.mark.django_db
def test_taxii_refuses_strangers_and_wrong_media_types(client: Any, world: Any) -> None:
    assert client.get("/taxii2/").status_code == 401
    import base64

    auth = "Basic " + base64.b64encode(f"officer.a:{PASSWORD}".encode()).decode()
    ok = client.get("/taxii2/", HTTP_AUTHORIZATION=auth, HTTP_ACCEPT="application/taxii+json;version=2.1")
    assert ok.status_code == 200 and ok["Content-Type"] == "application/taxii+json;version=2.1"
    assert client.get("/taxii2/", HTTP_AUTHORIZATION=auth, HTTP_ACCEPT="text/html").status_code == 406
    missing = client.get(
        "/taxii2/api/collections/00000000-0000-0000-0000-000000000000/objects/", HTTP_AUTHORIZATION=auth
    )
    assert missing.status_code == 404
