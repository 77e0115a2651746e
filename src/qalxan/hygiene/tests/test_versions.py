"""Version comparison per ecosystem and OSV range evaluation (univers)."""

from __future__ import annotations

import pytest

from qalxan.hygiene.versions import (
    at_least,
    compare,
    cvss3_base_score,
    fixed_version,
    is_affected,
    severity_of,
)


@pytest.mark.parametrize(
    ("ecosystem", "lower", "higher"),
    [
        ("deb", "2.0-1", "1:1.0-1"),  # an epoch outranks any upstream version
        ("deb", "1.0~rc1-1", "1.0-1"),  # a tilde sorts before the release
        ("deb", "1.0~~a", "1.0~a"),
        ("deb", "3.0.2-0ubuntu1.10", "3.0.2-0ubuntu1.12"),
        ("deb", "1:8.9p1-3ubuntu0.4", "1:8.9p1-3ubuntu0.6"),
        ("rpm", "1.0-2.el8", "1.0-10.el8"),  # releases compare numerically
        ("rpm", "3.0.7-24.el9", "1:3.0.1-1.el9"),  # epoch
        ("rpm", "2.4.57-5.el9", "2.4.57-5.el9_3.1"),
        ("pypi", "2.0rc1", "2.0"),  # a pre-release is below its release
        ("pypi", "2.0.dev1", "2.0a1"),
        ("pypi", "2.0", "2.0.post1"),
        ("npm", "1.0.0-beta.2", "1.0.0"),
        ("maven", "1.0-SNAPSHOT", "1.0"),
        ("maven", "2.13.0", "2.13.4.2"),
        ("nuget", "4.0.0-preview1", "4.0.0"),
        ("generic", "119.0.6045.160", "120.0.6099.130"),
        ("generic", "120.0.6099.129", "120.0.6099.130"),
    ],
)
def test_ordering(ecosystem: str, lower: str, higher: str) -> None:
    assert compare(ecosystem, lower, higher) == -1
    assert compare(ecosystem, higher, lower) == 1


def test_osv_ranges() -> None:
    events = [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.12"}]
    assert is_affected("deb", "3.0.2-0ubuntu1.10", events, [])
    assert not is_affected("deb", "3.0.2-0ubuntu1.12", events, [])
    assert not is_affected("deb", "3.0.2-0ubuntu1.12~esm1" + "x", [{"introduced": "3.1"}], [])
    two = [{"introduced": "1.0"}, {"fixed": "1.2"}, {"introduced": "2.0"}, {"last_affected": "2.1"}]
    assert not is_affected("pypi", "0.9", two, [])
    assert is_affected("pypi", "1.1", two, [])
    assert is_affected("pypi", "1.2rc1", two, [])  # a pre-release of the fix is still affected
    assert not is_affected("pypi", "1.5", two, [])
    assert is_affected("pypi", "2.1", two, [])
    assert not is_affected("pypi", "2.1.1", two, [])
    assert is_affected("npm", "0.0.1", [], ["0.0.1"])  # explicitly listed versions
    assert not is_affected("deb", "not a version !", events, [])
    assert fixed_version("pypi", "1.1", two) == "1.2"
    assert at_least("generic", "12.3.0.493", "11.0") and not at_least("generic", "10.1.1.6421", "11.0")


def test_cvss_base_scores() -> None:
    assert cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8
    assert cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H") == 9.6
    assert cvss3_base_score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H") == 7.8
    assert cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N") == 4.3
    assert cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P") is None
    assert severity_of(9.8) == "critical" and severity_of(4.3) == "medium"
