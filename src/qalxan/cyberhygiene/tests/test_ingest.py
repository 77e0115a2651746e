"""Leak files in every layout: exactly the planted state accounts are attributed; re-ingesting adds
nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qalxan.cyberhygiene import conf, formats, scan, services
from qalxan.cyberhygiene.choices import AttributionBasis, LeakState, Measure
from qalxan.cyberhygiene.models import Exposure, Leak, Sighting, StealerVictim
from qalxan.cyberhygiene.tests import leakfiles as lf

pytestmark = pytest.mark.django_db


def _ingest(world: Any, paths: list[Path], name: str = "leak") -> Leak:
    analyst = world.users["analyst"]
    leak = services.register_leak(actor=analyst, name=name, paths=paths, source="forum")
    return services.ingest_leak(actor=analyst, leak=leak, paths=paths)


def _attributed(world: Any) -> dict[str, tuple[int, bool]]:
    key = conf.hmac_key()
    by_hmac = {(e.login_hmac, e.password_hmac): e for e in Exposure.objects.all()}
    found = {}
    for p in lf.ALL_PLANTED:
        e = by_hmac.get((formats.keyed_hash(key, p.login.lower()), formats.keyed_hash(key, p.password)))
        if e is not None:
            found[p.login] = (e.organization_id, e.is_staff)
    return found


def _expect(world: Any, planted: list[lf.Planted]) -> dict[str, tuple[int, bool]]:
    return {p.login: (getattr(world, p.org).pk, p.staff) for p in planted}


def test_combolist_attributes_exactly_the_planted_accounts(world: Any, domains: Any, tmp_path: Path) -> None:
    leak = _ingest(world, [lf.combolist(tmp_path / "combo.txt")])
    assert leak.state == LeakState.DONE
    assert _attributed(world) == _expect(world, lf.COMBO_PLANTED)
    assert Exposure.objects.count() == len(lf.COMBO_PLANTED)
    portal = Exposure.objects.get(basis=AttributionBasis.STATE_SERVICE)
    assert portal.service == domains["portal"] and not portal.is_staff and portal.url_host == "portal.gov.az"
    assert Exposure.objects.get(basis=AttributionBasis.OWN_SITE).login_masked == "d••••••••v"
    assert leak.lines_malformed == 1 and leak.malformed_samples[0]["reason"] == "no separator"
    assert leak.records_matched == len(lf.COMBO_PLANTED) and leak.organizations_affected == 3
    assert set(Exposure.objects.values_list("login_masked", flat=True)) >= {"a••••••v@mina.gov.az"}


def test_stealer_logs_as_folders_and_as_zip(world: Any, domains: Any, tmp_path: Path) -> None:
    leak = _ingest(world, [lf.stealer_folder(tmp_path / "logs")], "folder")
    assert _attributed(world) == _expect(world, lf.STEALER_PLANTED)
    assert leak.format == "stealer"
    victim = StealerVictim.objects.get(organization=world.ministry)
    assert (
        victim.machine_name == "WS-MINA-017"
        and victim.ip_address == "185.81.2.3"
        and victim.stealer == "RedLine"
    )
    assert victim.infected_at is not None and victim.infected_at.year == 2026
    exposure = Exposure.objects.get(victim=victim)
    assert Measure.CHECK_DEVICE in exposure.measures
    assert StealerVictim.objects.count() == 2

    again = _ingest(world, [lf.stealer_zip(tmp_path / "logs.zip")], "zip")
    assert again.accounts_new == 0 and again.accounts_known == 2
    assert StealerVictim.objects.count() == 2 and Exposure.objects.count() == 2
    assert Sighting.objects.count() == 4


def test_csv_dump(world: Any, domains: Any, tmp_path: Path) -> None:
    leak = _ingest(world, [lf.csv_dump(tmp_path / "dump.csv")])
    assert _attributed(world) == _expect(world, lf.CSV_PLANTED)
    assert leak.format == "csv" and leak.lines_malformed == 1


def test_zip_with_every_layout(world: Any, domains: Any, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "all.zip"
    combo = lf.combolist(tmp_path / "combo.txt")
    dump = lf.csv_dump(tmp_path / "dump.csv")
    with zipfile.ZipFile(archive, "w") as z:
        z.write(combo, "lists/combo.txt")
        z.write(dump, "dump.csv")
        for name, content in lf.stealer_files().items():
            z.writestr(f"stealers/{name}", content)
    leak = _ingest(world, [archive])
    assert _attributed(world) == _expect(world, lf.ALL_PLANTED)
    assert leak.format == "mixed"


def test_reingesting_the_same_leak_creates_no_duplicates(world: Any, domains: Any, tmp_path: Path) -> None:
    path = lf.combolist(tmp_path / "combo.txt")
    _ingest(world, [path])
    counts = (Exposure.objects.count(), Sighting.objects.count(), Leak.objects.count())
    with pytest.raises(ValidationError):
        services.register_leak(actor=world.users["analyst"], name="again", paths=[path])
    # The same records under another file name: a new leak, known accounts, no new exposures.
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(path.read_bytes() + b"\n")
    second = _ingest(world, [copy], "copy")
    assert second.accounts_new == 0 and second.accounts_known == len(lf.COMBO_PLANTED)
    assert Exposure.objects.count() == counts[0]
    assert Sighting.objects.count() == counts[1] * 2


def test_password_seen_before_across_accounts(world: Any, domains: Any, tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("x1@mina.gov.az:Shared-Secret-1\n")
    _ingest(world, [first], "a")
    second = tmp_path / "b.txt"
    second.write_text("x2@mina.gov.az:Shared-Secret-1\nx3@mina.gov.az:Other-Secret-2\n")
    _ingest(world, [second], "b")
    seen = dict(Exposure.objects.values_list("login_masked", "password_seen_before"))
    assert len(seen) <= 3
    assert Exposure.objects.filter(password_seen_before=True).count() == 1


def test_only_analysts_ingest(world: Any, domains: Any, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        services.register_leak(
            actor=world.users["officer_a"], name="x", paths=[lf.combolist(tmp_path / "c.txt")]
        )
    assert not Leak.objects.exists()


def test_scanner_over_pieces_counts_lines_and_keeps_matches(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    lines = [f"u{i}@gmail.com:p{i}" for i in range(30000)]
    lines[12345] = "boss@mina.gov.az:Planted-Pass-99"
    lines[29999] = "no separator here"
    path.write_text("\n".join(lines))  # no final newline
    result = scan.scan_file(str(path), frozenset({"mina.gov.az"}), workers=1, piece_bytes=50_000)
    assert result.lines == 30000 and result.malformed == 1 and result.samples[0][0] == 30000
    assert result.hits == [(12346, b"boss@mina.gov.az:Planted-Pass-99")]
    parallel = scan.scan_file(str(path), frozenset({"mina.gov.az"}), workers=2, piece_bytes=50_000)
    assert parallel.hits == result.hits and parallel.lines == result.lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("a@b.gov.az:pw", ("", "a@b.gov.az", "pw")),
        ("a@b.gov.az;pw:with:colons", ("", "a@b.gov.az", "pw:with:colons")),
        ("https://h.gov.az:8443/x/y:login:pw", ("https://h.gov.az:8443/x/y", "login", "pw")),
        ("android://abc@com.app/:user@x.az:pw", ("android://abc@com.app/", "user@x.az", "pw")),
        ("login|pw", ("", "login", "pw")),
        ("a@b.gov.az:", None),
    ],
)
def test_combo_line_layouts(line: str, expected: Any) -> None:
    assert formats.parse_combo_line(line) == expected


def test_decoding() -> None:
    assert formats.decode("Пароль".encode("cp1251")) == ("Пароль", "cp1251")
    assert formats.decode("Pässwörd".encode("latin-1")) == ("Pässwörd", "latin-1")
    assert formats.decode("Şifrə".encode()) == ("Şifrə", "utf-8")
    assert formats.strength("123456") == "weak" and formats.strength("Abcdefgh1") == "medium"
    assert formats.strength("Long-Pass-2026!") == "strong"


def test_hmac_key_lives_outside_the_database(tmp_path: Path, settings: Any, monkeypatch: Any) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("QALXAN_CYBERHYGIENE_HMAC_KEY", raising=False)
    conf.hmac_key.cache_clear()
    try:
        key = conf.hmac_key()
        path = tmp_path / "cyberhygiene" / "hmac.key"
        assert len(key) == 32 and path.stat().st_mode & 0o777 == 0o600
        assert conf.hmac_key() == key
        conf.hmac_key.cache_clear()
        monkeypatch.setenv("QALXAN_CYBERHYGIENE_HMAC_KEY", "ab" * 32)
        assert conf.hmac_key() == bytes.fromhex("ab" * 32)
    finally:
        conf.hmac_key.cache_clear()
