"""Generated leak files in every layout, with planted state accounts and near-misses."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qalxan.organizations.models import OrganizationDomain, Sector
from qalxan.registry.models import InformationSystem, SystemDomain


@dataclass(frozen=True)
class Planted:
    login: str
    password: str
    org: str  # world attribute: ministry, subordinate, other
    staff: bool = True


def register_domains(world: Any) -> dict[str, Any]:
    OrganizationDomain.objects.create(organization=world.ministry, domain="mina.gov.az")
    OrganizationDomain.objects.create(organization=world.subordinate, domain="sub.mina.gov.az")
    OrganizationDomain.objects.create(organization=world.other, domain="minb.gov.az")
    portal = InformationSystem.objects.create(
        name_az=f"Portal {uuid.uuid4().hex[:4]}",
        kind="website",
        sector=Sector.objects.get(code="public_administration"),
        owner=world.other,
        hosting="azstatenet",
    )
    SystemDomain.objects.create(system=portal, domain="portal.gov.az")
    return {"portal": portal}


COMBO_PLANTED = [
    Planted("a.aliyev@mina.gov.az", "Planted-Pass-01", "ministry"),
    Planted("b.bayramova@hr.mina.gov.az", "Planted-Pass-02", "ministry"),
    Planted("c.cavadov@sub.mina.gov.az", "Planted-Pass-03", "subordinate"),
    Planted("citizen777", "Planted-Pass-04", "other", staff=False),
    Planted("d.dadashov", "Planted-Pass-05", "other"),
    Planted("e.eminov@mina.gov.az", "Пароль-Planted-06", "ministry"),
    Planted("f.f@minb.gov.az", "Pässwörd-Planted-07", "other"),
    Planted("k.k@x.sub.mina.gov.az", "Planted|Pass:11", "subordinate"),
]
NEAR_MISSES = [
    b"n1@mina.gov.az.evil.com:NearMiss-01",
    b"n2@mina-gov.az:NearMiss-02",
    b"n3@xmina.gov.az:NearMiss-03",
    b"n4@mina.gov.azz:NearMiss-04",
    b"n5@minagov.az:NearMiss-05",
    b"mina.gov.az@gmail.com:NearMiss-06",
    b"https://mina.gov.az.phish.ru/login:n7:NearMiss-07",
    b"https://www.facebook.com/:n8@gmail.com:NearMiss-08",
    b"n9@gov.az:NearMiss-09",
]
NEAR_PASSWORDS = [line.rsplit(b":", 1)[1].decode() for line in NEAR_MISSES]


def combolist(path: Path, noise: int = 500) -> Path:
    lines = [f"user{i}@gmail.com:noise{i}".encode() for i in range(noise)]
    lines += [
        b"a.aliyev@mina.gov.az:Planted-Pass-01",
        b"b.bayramova@hr.mina.gov.az;Planted-Pass-02",
        b"c.cavadov@sub.mina.gov.az|Planted-Pass-03",
        b"https://portal.gov.az/login:citizen777:Planted-Pass-04",
        b"https://mail.minb.gov.az/owa:d.dadashov:Planted-Pass-05",
        "e.eminov@MINA.GOV.AZ:Пароль-Planted-06".encode("cp1251"),
        "f.f@minb.gov.az:Pässwörd-Planted-07".encode("latin-1"),
        b"k.k@x.sub.mina.gov.az:Planted|Pass:11",
        b"this line has no separator",
        b"",
        *NEAR_MISSES,
        b"a.aliyev@mina.gov.az:Planted-Pass-01",  # the same account twice in one file
    ]
    path.write_bytes(b"\r\n".join(lines[: noise // 2] + lines[noise // 2 :]) + b"\n")
    return path


STEALER_PLANTED = [
    Planted("g.guliyev@mina.gov.az", "Planted-Pass-08", "ministry"),
    Planted("h.h@minb.gov.az", "Planted-Pass-09", "other"),
]


def stealer_files() -> dict[str, bytes]:
    return {
        "AZ[8F3A1C]/Passwords.txt": (
            b"URL: https://mail.mina.gov.az/owa\nUsername: g.guliyev@mina.gov.az\nPassword: Planted-Pass-08\n"
            b"Application: Google_[Chrome]_Default\n===============\n"
            b"URL: https://www.instagram.com/\nUsername: gg@gmail.com\nPassword: "
            b"NearMiss-10\n===============\n"
            b"URL: https://mina.gov.az.evil.com/\nUsername: x@mina.gov.az.evil.com\nPassword: NearMiss-11\n"
        ),
        "AZ[8F3A1C]/System.txt": (
            b"Computer name: WS-MINA-017\nUserName: gguliyev\nIP: 185.81.2.3\nCountry: AZ\n"
            b"OS: Windows 10 Pro x64\nLog date: 03.11.2026 09:14:00\nHWID: 4D1F9A\nBuild: RedLine\n"
        ),
        "Logs/US[77AA]/All Passwords.txt": (
            "SOFT: Chrome\nurl: https://portal.minb.gov.az/\nlogin: h.h@minb.gov.az\npassword: "
            "Planted-Pass-09\n\n"
            "url: https://example.org\nlogin: nobody@example.org\npassword: NearMiss-12\n"
        ).encode("cp1251"),
        "Logs/US[77AA]/Information.txt": b"MachineName: DESKTOP-77\nIP Address: 10.0.0.5\n",
        "Logs/US[77AA]/Cookies/chrome.txt": b".google.com\tTRUE\t/\tFALSE\t0\tSID\tabc\n",
    }


STEALER_NEAR = ["NearMiss-10", "NearMiss-11", "NearMiss-12"]


def stealer_folder(root: Path) -> Path:
    for name, content in stealer_files().items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return root


def stealer_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in stealer_files().items():
            archive.writestr(name, content)
    return path


CSV_PLANTED = [Planted("i.i@sub.mina.gov.az", "Planted,Pass;10", "subordinate")]


def csv_dump(path: Path) -> Path:
    path.write_text(
        "url,username,password\n"
        'https://portal.example.com,i.i@sub.mina.gov.az,"Planted,Pass;10"\n'
        "https://mina.gov.az.evil.com,j@mina.gov.az.evil.com,NearMiss-13\n"
        ",nobody@gmail.com,NearMiss-14\n"
        "https://x.com,,\n",
        encoding="utf-8",
    )
    return path


CSV_NEAR = ["NearMiss-13", "NearMiss-14"]
ALL_PLANTED = COMBO_PLANTED + STEALER_PLANTED + CSV_PLANTED
