"""STIX 2.1 export passes stix2-validator; STIX import; a MISP event round trip through pymisp."""

import json

from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_string

from qalxan.intel import exchange
from qalxan.intel.api.views import import_exchange
from qalxan.intel.models import Indicator
from qalxan.intel.tests.factories import indicator

VALUES = [
    "185.220.101.47",
    "2001:db8:abcd::1",
    "91.243.44.0/24",
    "c2.evil.az",
    "http://evil.az/it's",
    "bad@evil.az",
    "qerar.docm",
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
]


def test_stix_export_is_valid_and_imports_back(world):
    for n, value in enumerate(VALUES):
        indicator(value, tlp=["GREEN", "AMBER", "RED", "CLEAR", "AMBER+STRICT"][n % 5])
    bundle = exchange.stix_bundle(Indicator.objects.all())
    results = validate_string(bundle, ValidationOptions(version="2.1", strict=False))
    assert results.is_valid, [str(e) for e in results.errors]
    parsed = exchange.read_stix(bundle)
    assert not parsed.errors
    assert {i.value.value for i in parsed.items} == {i.value for i in Indicator.objects.all()}
    Indicator.objects.all().delete()
    outcome = import_exchange(
        actor=world.users["analyst"], fmt="stix", content=bundle, tlp="AMBER", organization=None
    )
    assert outcome["committed"] and outcome["created"] == len(VALUES)
    assert Indicator.objects.get(value="c2.evil.az").tlp == "CLEAR"
    assert Indicator.objects.get(value="185.220.101.47").tlp == "GREEN"


def test_stix_import_with_a_bad_value_changes_nothing(world):
    bundle = json.loads(exchange.stix_bundle([indicator("ok.evil.az", tlp="GREEN")]))
    Indicator.objects.all().delete()
    bad = dict(
        bundle["objects"][-1],
        id="indicator--11111111-2222-4333-8444-555555555555",
        pattern="[ipv4-addr:value = '999.1.1.1']",
    )
    bundle["objects"].append(bad)
    outcome = import_exchange(
        actor=world.users["analyst"], fmt="stix", content=json.dumps(bundle), tlp="AMBER", organization=None
    )
    assert not outcome["committed"] and outcome["errors"][0]["field"] == "pattern"
    assert Indicator.objects.count() == 0


def test_misp_round_trip(world):
    for value in VALUES:
        indicator(value, tlp="GREEN")
    text = exchange.misp_event(Indicator.objects.all(), info="Qalxan test", tlp="GREEN")
    event = MISPEvent()
    event.load(text)
    assert {a.value for a in event.attributes} == set(Indicator.objects.values_list("value", flat=True))
    assert all(any(t.name == "tlp:green" for t in a.tags) for a in event.attributes)
    before = set(Indicator.objects.values_list("kind", "value"))
    Indicator.objects.all().delete()
    outcome = import_exchange(
        actor=world.users["analyst"], fmt="misp", content=event.to_json(), tlp="AMBER", organization=None
    )
    assert outcome["committed"], outcome
    assert set(Indicator.objects.values_list("kind", "value")) == before
    assert set(Indicator.objects.values_list("tlp", flat=True)) == {"GREEN"}
