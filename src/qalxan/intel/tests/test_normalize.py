"""Normalisation, refanging, extraction and matching edge cases."""

import pytest

from qalxan.intel.normalize import InvalidValue, detect, extract, normalise, parent_domains, refang


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("domain", "WWW.Evil.AZ.", ("domain", "www.evil.az")),
        ("domain", "evil.az..", ("domain", "evil.az")),
        ("domain", "bücher.example", ("domain", "xn--bcher-kva.example")),
        ("domain", "ПРИМЕР.РФ", ("domain", "xn--e1afmkfd.xn--p1ai")),
        ("domain", "evil[.]az", ("domain", "evil.az")),
        ("ipv6", "2001:DB8:0:0:0:0:0:1", ("ipv6", "2001:db8::1")),
        ("ipv6", "2001:0db8::0001", ("ipv6", "2001:db8::1")),
        ("ipv6", "[2001:db8::1]", ("ipv6", "2001:db8::1")),
        ("ipv6", "fe80::1%eth0", ("ipv6", "fe80::1")),
        ("ipv6", "::ffff:192.0.2.10", ("ipv4", "192.0.2.10")),
        ("cidr", "192.168.1.77/24", ("cidr", "192.168.1.0/24")),
        ("cidr", "10.1.2.3/32", ("ipv4", "10.1.2.3")),
        ("cidr", "2001:db8::1/128", ("ipv6", "2001:db8::1")),
        ("cidr", "2001:DB8::/32", ("cidr", "2001:db8::/32")),
        ("url", "HTTP://Evil.AZ:80", ("url", "http://evil.az/")),
        ("url", "https://evil.az:443/a/b?x=1#frag", ("url", "https://evil.az/a/b?x=1")),
        ("url", "https://evil.az:8443/Path", ("url", "https://evil.az:8443/Path")),
        ("url", "http://user:pw@Evil.az/%7euser/%2f", ("url", "http://evil.az/~user/%2F")),
        ("url", "hxxp://evil[.]az/x", ("url", "http://evil.az/x")),
        ("url", "http://[2001:DB8::1]:8080/", ("url", "http://[2001:db8::1]:8080/")),
        ("email", "Bad.Guy@Mail.RU", ("email", "bad.guy@mail.ru")),
        ("email", "x[at]evil(.)az", ("email", "x@evil.az")),
        ("md5", "D41D8CD98F00B204E9800998ECF8427E", ("md5", "d41d8cd98f00b204e9800998ecf8427e")),
        ("filename", r"C:\Users\x\AppData\Invoice.EXE", ("filename", "invoice.exe")),
    ],
)
def test_normalise(kind, raw, expected):
    value = normalise(kind, raw)
    assert (value.kind, value.value) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("domain", "-bad.az"),
        ("domain", "nodot"),
        ("domain", "1.2.3.4"),
        ("ipv4", "256.1.1.1"),
        ("ipv4", "01.2.3.4"),
        ("ipv4", "2001:db8::1"),
        ("url", "javascript:alert(1)"),
        ("url", "http://"),
        ("md5", "abc"),
        ("sha1", "d41d8cd98f00b204e9800998ecf8427e"),
        ("email", "no-at-sign"),
    ],
)
def test_invalid(kind, raw):
    with pytest.raises(InvalidValue):
        normalise(kind, raw)


def test_refang_and_extract_deduplicate():
    text = """Seen hxxp://evil[.]az/login and HXXPS://EVIL.az:443/ from 185.220.101[.]4 and 185.220.101.4.
    Mail from bad[at]evil(.)az, dropper Invoice.EXE (D41D8CD98F00B204E9800998ECF8427E),
    C2 c2.Evil.az. and 2001:DB8::1"""
    values = [(v.kind, v.value) for v in extract(text).values]
    assert values == [
        ("url", "http://evil.az/login"),
        ("url", "https://evil.az/"),
        ("ipv4", "185.220.101.4"),
        ("email", "bad@evil.az"),
        ("filename", "invoice.exe"),
        ("md5", "d41d8cd98f00b204e9800998ecf8427e"),
        ("domain", "c2.evil.az"),
        ("ipv6", "2001:db8::1"),
    ]
    assert refang("1.2.3[.]4") == "1.2.3.4"


def test_detect_and_parents():
    assert detect("10.0.0.0/8").kind == "cidr"
    assert detect("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").kind == "sha256"
    assert detect("payload.docm").kind == "filename"
    assert detect("evil.com").kind == "domain"
    assert parent_domains("a.b.evil.az") == ["a.b.evil.az", "b.evil.az", "evil.az", "az"]
