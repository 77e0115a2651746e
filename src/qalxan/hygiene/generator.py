"""Synthetic but realistic inventories, advisories and a licence registry, for the demo and the benchmark.

Inventories are written in osquery's result-log format exactly as osqueryd's filesystem logger writes
them (one JSON object a line; `snapshot` lines for scheduled snapshot queries). Advisories are OSV JSON
documents. Everything is deterministic for a given random generator. The advisories are invented for
demonstration (identifiers start with QLX-DEMO) and must not be mistaken for real ones.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

# (publisher, name, versions, canonical vendor, canonical product, commercial)
WINDOWS_PROGRAMS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "Microsoft Corporation",
        "Microsoft Office Professional Plus 2019",
        ("16.0.10386.20017", "16.0.10404.20013"),
    ),
    (
        "Microsoft Corporation",
        "Microsoft 365 Apps for enterprise - en-us",
        ("16.0.17328.20184", "16.0.17531.20140"),
    ),
    ("Microsoft Corporation", "Microsoft Visio Professional 2016", ("16.0.4266.1001",)),
    ("Microsoft Corporation", "Microsoft Project Professional 2016", ("16.0.4266.1001",)),
    ("Microsoft Corporation", "Microsoft Edge", ("120.0.2210.91", "121.0.2277.83")),
    ("Microsoft Corporation", "Microsoft Teams", ("1.6.00.33567",)),
    (
        "Microsoft Corporation",
        "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130",
        ("14.38.33130.0",),
    ),
    ("Microsoft Corporation", "Update for Windows 10 for x64-based Systems (KB5001716)", ("8.94.0.0",)),
    ("Adobe", "Adobe Acrobat DC (64-bit)", ("23.008.20470", "24.001.20604")),
    ("Adobe", "Adobe Acrobat Reader DC - Russian", ("23.006.20360", "24.001.20604")),
    ("Google LLC", "Google Chrome", ("119.0.6045.160", "120.0.6099.130", "121.0.6167.185")),
    ("Mozilla", "Mozilla Firefox (x64 en-US)", ("115.6.0", "121.0")),
    ("Igor Pavlov", "7-Zip 19.00 (x64)", ("19.00",)),
    ("Igor Pavlov", "7-Zip 23.01 (x64)", ("23.01",)),
    ("win.rar GmbH", "WinRAR 6.24 (64-bit)", ("6.24.0",)),
    ("Autodesk, Inc.", "AutoCAD 2022 - English", ("24.1.51.0",)),
    ("1C-Soft", "1C:Enterprise 8.3 (8.3.22.1709)", ("8.3.22.1709",)),
    ("Intel Corporation", "Intel(R) Graphics Driver", ("31.0.101.4502",)),
    ("Realtek Semiconductor Corp.", "Realtek High Definition Audio Driver", ("6.0.9239.1",)),
    ("Notepad++ Team", "Notepad++ (64-bit x64)", ("8.5.8", "8.6.2")),
    ("VideoLAN", "VLC media player", ("3.0.18", "3.0.20")),
    ("philandro Software GmbH", "AnyDesk", ("7.1.13",)),
    ("Zoom Video Communications, Inc.", "Zoom", ("5.16.10.26186",)),
    ("Oracle Corporation", "Java 8 Update 381 (64-bit)", ("8.0.3810.9",)),
]
ANTIVIRUS = [
    ("AO Kaspersky Lab", "Kaspersky Endpoint Security for Windows", ("10.1.1.6421", "12.3.0.493"), "AVP"),
    ("ESET, spol. s r.o.", "ESET Endpoint Security", ("10.1.2046.0", "11.1.2039.2"), "ekrn"),
]
DEB_PACKAGES = [
    ("openssl", ("3.0.2-0ubuntu1.10", "3.0.2-0ubuntu1.12")),
    ("nginx", ("1.18.0-6ubuntu14.3", "1.18.0-6ubuntu14.4")),
    ("openssh-server", ("1:8.9p1-3ubuntu0.4", "1:8.9p1-3ubuntu0.6")),
    ("libc6", ("2.35-0ubuntu3.4", "2.35-0ubuntu3.6")),
    ("sudo", ("1.9.9-1ubuntu2.3", "1.9.9-1ubuntu2.4")),
    ("curl", ("7.81.0-1ubuntu1.14", "7.81.0-1ubuntu1.15")),
    ("postgresql-14", ("14.9-0ubuntu0.22.04.1", "14.10-0ubuntu0.22.04.1")),
    ("bash", ("5.1-6ubuntu1",)),
    ("python3.10", ("3.10.12-1~22.04.2", "3.10.12-1~22.04.3")),
    ("clamav", ("0.103.9+dfsg-0ubuntu0.22.04.1", "0.103.11+dfsg-0ubuntu0.22.04.1")),
]


@dataclass(frozen=True)
class Host:
    identifier: str
    hostname: str
    uuid: str
    serial: str
    windows: bool
    seen: dt.datetime


def filler_packages(count: int, prefix: str = "lib") -> list[tuple[str, tuple[str, ...]]]:
    """Ordinary packages that make an inventory realistically long (no advisory names them)."""
    return [
        (f"{prefix}{i:04d}", (f"1.{i % 7}.{i % 13}-1", f"1.{i % 7}.{1 + i % 13}-1")) for i in range(count)
    ]


def _line(name: str, host: Host, rows: list[bytes]) -> bytes:
    stamp = int(host.seen.timestamp())
    head = orjson.dumps(
        {
            "name": name,
            "hostIdentifier": host.identifier,
            "calendarTime": host.seen.strftime("%a %b %d %H:%M:%S %Y UTC"),
            "unixTime": stamp,
            "epoch": 0,
            "counter": 0,
            "numerics": False,
            "decorations": {"host_uuid": host.uuid, "hostname": host.hostname},
            "action": "snapshot",
        }
    )
    return head[:-1] + b',"snapshot":[' + b",".join(rows) + b"]}\n"


def _row(**columns: str) -> bytes:
    return orjson.dumps(columns)


class Catalogue:
    """Pre-serialised rows, so that millions of rows cost a join rather than a dumps each."""

    def __init__(self, fillers: int = 400) -> None:
        self.programs = [
            [_row(name=n, version=v, publisher=p, install_date="20240115", identifying_number="") for v in vs]
            for p, n, vs in WINDOWS_PROGRAMS
        ]
        self.win_fill = [
            [
                _row(
                    name=f"Line-of-business tool {i:04d}",
                    version=v,
                    publisher=f"Vendor {i % 97:02d}",
                    install_date="",
                    identifying_number="",
                )
                for v in vs
            ]
            for i, (_n, vs) in enumerate(filler_packages(fillers, "w"))
        ]
        self.deb = [
            [
                _row(
                    name=n,
                    version=v,
                    source=n,
                    arch="amd64",
                    revision="",
                    maintainer="Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>",
                )
                for v in vs
            ]
            for n, vs in DEB_PACKAGES
        ]
        self.deb_fill = [
            [
                _row(
                    name=n,
                    version=v,
                    source=n,
                    arch="amd64",
                    revision="",
                    maintainer="Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>",
                )
                for v in vs
            ]
            for n, vs in filler_packages(fillers)
        ]


def host_lines(
    host: Host, rng: random.Random, cat: Catalogue, *, packages: int = 150, av: str = "ok"
) -> list[bytes]:
    """The result lines one endpoint's osqueryd writes for the hygiene query pack.

    `av`: ok | missing | stopped | stale_signatures | old_version."""
    lines = []
    if host.windows:
        core = [rng.choice(v) for v in cat.programs if rng.random() < 0.55]
        fill = [
            rng.choice(v)
            for v in rng.sample(cat.win_fill, max(0, min(len(cat.win_fill), packages - len(core) - 1)))
        ]
        rows = core + fill
        services = [
            _row(
                name="Spooler",
                display_name="Print Spooler",
                status="RUNNING",
                start_type="AUTO_START",
                path="C:\\Windows\\System32\\spoolsv.exe",
            )
        ]
        security: list[bytes] = []
        if av != "missing":
            publisher, name, versions, service = ANTIVIRUS[rng.random() < 0.3]
            version = versions[0] if av == "old_version" else versions[-1]
            rows.append(
                _row(
                    name=name,
                    version=version,
                    publisher=publisher,
                    install_date="20240110",
                    identifying_number="",
                )
            )
            services.append(
                _row(
                    name=service,
                    display_name=name,
                    status="STOPPED" if av == "stopped" else "RUNNING",
                    start_type="AUTO_START",
                    path="",
                )
            )
            security.append(
                _row(
                    type="Antivirus",
                    name=name,
                    state="Off" if av == "stopped" else "On",
                    signatures_up_to_date="0" if av == "stale_signatures" else "1",
                    state_timestamp="",
                    remediation_path="",
                )
            )
        else:
            security.append(
                _row(
                    type="Antivirus",
                    name="Windows Defender",
                    state="Snoozed",
                    signatures_up_to_date="0",
                    state_timestamp="",
                    remediation_path="",
                )
            )
        lines.append(_line("pack_hygiene_programs", host, rows))
        lines.append(_line("pack_hygiene_windows_security_products", host, security))
        lines.append(_line("pack_hygiene_services", host, services))
        lines.append(
            _line(
                "pack_hygiene_patches",
                host,
                [
                    _row(
                        hotfix_id="KB5034441",
                        description="Security Update",
                        caption="",
                        installed_on="1/10/2024",
                    )
                ],
            )
        )
        lines.append(
            _line(
                "pack_hygiene_os_version",
                host,
                [
                    _row(
                        name="Microsoft Windows 10 Pro",
                        version="10.0.19045",
                        major="10",
                        minor="0",
                        build="19045",
                        platform="windows",
                        codename="",
                    )
                ],
            )
        )
    else:
        core = [rng.choice(v) for v in cat.deb if rng.random() < 0.8]
        fill = [
            rng.choice(v)
            for v in rng.sample(cat.deb_fill, max(0, min(len(cat.deb_fill), packages - len(core))))
        ]
        units = [
            _row(
                id="ssh.service",
                description="OpenBSD Secure Shell server",
                load_state="loaded",
                active_state="active",
                sub_state="running",
            )
        ]
        if av != "missing":
            units.append(
                _row(
                    id="clamav-daemon.service",
                    description="Clam AntiVirus userspace daemon",
                    load_state="loaded",
                    active_state="inactive" if av == "stopped" else "active",
                    sub_state="dead" if av == "stopped" else "running",
                )
            )
        else:
            core = [r for r in core if b'"clamav"' not in r]
        lines.append(_line("pack_hygiene_deb_packages", host, core + fill))
        lines.append(_line("pack_hygiene_systemd_units", host, units))
        lines.append(
            _line(
                "pack_hygiene_os_version",
                host,
                [
                    _row(
                        name="Ubuntu Server",
                        version="22.04.3 LTS (Jammy Jellyfish)",
                        major="22",
                        minor="4",
                        build="",
                        platform="ubuntu",
                        codename="jammy",
                    )
                ],
            )
        )
    lines.append(
        _line(
            "pack_hygiene_system_info",
            host,
            [
                _row(
                    hostname=host.hostname,
                    hardware_serial=host.serial,
                    uuid=host.uuid,
                    computer_name=host.hostname.split(".")[0],
                )
            ],
        )
    )
    return lines


def hosts_for(
    code: str, count: int, rng: random.Random, now: dt.datetime, *, servers: float = 0.08, stale: float = 0.05
) -> Iterator[Host]:
    for i in range(count):
        windows = rng.random() >= servers
        age = (
            dt.timedelta(days=rng.randint(20, 90))
            if rng.random() < stale
            else dt.timedelta(hours=rng.randint(0, 40))
        )
        name = f"{'ws' if windows else 'srv'}-{i:05d}.{code}.gov.az"
        yield Host(
            identifier=f"{code}-{i:05d}",
            hostname=name,
            uuid=f"{rng.getrandbits(32):08X}-{rng.getrandbits(16):04X}-4{rng.getrandbits(12):03X}-A{rng.getrandbits(12):03X}-{rng.getrandbits(48):012X}",
            serial=f"PF{rng.getrandbits(24):06X}",
            windows=windows,
            seen=now - age,
        )


def av_state(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.06:
        return "missing"
    if roll < 0.09:
        return "stopped"
    if roll < 0.14:
        return "stale_signatures"
    if roll < 0.18:
        return "old_version"
    return "ok"


def osquery_log(
    code: str,
    count: int,
    rng: random.Random,
    now: dt.datetime,
    *,
    packages: int = 150,
    cat: Catalogue | None = None,
) -> bytes:
    """An institution's osquery result log for `count` endpoints."""
    cat = cat or Catalogue()
    out = bytearray()
    for host in hosts_for(code, count, rng, now):
        for line in host_lines(host, rng, cat, packages=packages, av=av_state(rng)):
            out += line
    return bytes(out)


# --- Advisories ----------------------------------------------------------------------------------------

DEMO_ADVISORIES = [
    (
        "Ubuntu:22.04",
        "openssl",
        "3.0.2-0ubuntu1.12",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "Remote code execution in the TLS handshake (demo)",
    ),
    (
        "Ubuntu:22.04",
        "openssh-server",
        "1:8.9p1-3ubuntu0.6",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
        "Prefix truncation of SSH channels (demo)",
    ),
    (
        "Ubuntu:22.04",
        "sudo",
        "1.9.9-1ubuntu2.4",
        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        "Local privilege escalation in sudoedit (demo)",
    ),
    (
        "Ubuntu:22.04",
        "curl",
        "7.81.0-1ubuntu1.15",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N",
        "Cookie injection (demo)",
    ),
    (
        "Ubuntu:22.04",
        "python3.10",
        "3.10.12-1~22.04.3",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
        "Denial of service in the e-mail parser (demo)",
    ),
    (
        "Windows",
        "Chrome",
        "120.0.6099.129",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H",
        "Heap overflow in the renderer, exploited in the wild (demo)",
    ),
    (
        "Windows",
        "7-Zip",
        "23.01",
        "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
        "Code execution on opening a crafted archive (demo)",
    ),
    (
        "Windows",
        "Notepad++",
        "8.6",
        "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:L",
        "Heap overflow in a plugin (demo)",
    ),
    (
        "Windows",
        "Acrobat",
        "24.001.20604",
        "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
        "Use after free in forms (demo)",
    ),
]


def osv_documents(extra_ranges: int = 0, rng: random.Random | None = None) -> list[dict[str, object]]:
    """OSV documents: the demo advisories plus `extra_ranges` invented ranges for the benchmark's scale."""
    docs: list[dict[str, object]] = []
    for i, (ecosystem, name, fixed, vector, summary) in enumerate(DEMO_ADVISORIES, start=1):
        docs.append(
            {
                "schema_version": "1.6.0",
                "id": f"QLX-DEMO-{i:04d}",
                "modified": "2026-11-01T00:00:00Z",
                "published": "2026-10-01T00:00:00Z",
                "aliases": [f"CVE-2026-9{i:04d}"],
                "summary": summary,
                "severity": [{"type": "CVSS_V3", "score": vector}],
                "affected": [
                    {
                        "package": {"ecosystem": ecosystem, "name": name},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                    }
                ],
            }
        )
    rng = rng or random.Random(7)  # noqa: S311  (demo data, not secrets)
    for j in range(extra_ranges):
        # Like a real advisory database, most ranges name packages no endpoint has; one in a thousand names
        # an installed package, and then only its older version is inside the range.
        installed = j % 1000 == 0
        i = (j // 1000) % 400
        name = f"lib{i:04d}" if installed else f"pkg{j % 60000:05d}"
        fixed = f"1.{i % 7}.{1 + i % 13}-1" if installed else f"2.{j % 9}.{j % 17}-1"
        docs.append(
            {
                "schema_version": "1.6.0",
                "id": f"QLX-DEMO-R{j:06d}",
                "modified": "2026-11-01T00:00:00Z",
                "summary": "Generated range (benchmark)",
                "database_specific": {"severity": rng.choice(("LOW", "MODERATE", "MODERATE", "HIGH"))},
                "affected": [
                    {
                        "package": {"ecosystem": "Ubuntu:22.04", "name": name},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                    }
                ],
            }
        )
    return docs


def kev_document() -> dict[str, object]:
    """A known-exploited list in CISA KEV's JSON shape, naming the demo Chrome advisory's CVE."""
    return {
        "title": "Known exploited vulnerabilities (demo)",
        "catalogVersion": "2026.11.01",
        "count": 1,
        "vulnerabilities": [
            {
                "cveID": "CVE-2026-90006",
                "vendorProject": "Google",
                "product": "Chrome",
                "dateAdded": "2026-10-15",
                "shortDescription": "Heap overflow (demo)",
            }
        ],
    }


# --- Registry -------------------------------------------------------------------------------------------

RULES = [
    # (priority, publisher, name pattern, action, vendor, product, edition)
    (10, "", r"redistributable|^update for|^security update|hotfix", "ignore", "", "", ""),
    (10, "", r"driver", "ignore", "", "", ""),
    (
        20,
        "microsoft",
        r"^Microsoft Office (Professional Plus|Standard) (\d{4})",
        "map",
        "Microsoft",
        "Office",
        r"\1 \2",
    ),
    (
        20,
        "microsoft",
        r"^Microsoft 365 Apps for (enterprise|business)",
        "map",
        "Microsoft",
        "Microsoft 365 Apps",
        r"\1",
    ),
    (20, "microsoft", r"^Microsoft Visio (Professional|Standard)", "map", "Microsoft", "Visio", r"\1"),
    (20, "microsoft", r"^Microsoft Project (Professional|Standard)", "map", "Microsoft", "Project", r"\1"),
    (30, "adobe", r"^Adobe Acrobat Reader", "map", "Adobe", "Acrobat Reader", ""),
    (31, "adobe", r"^Adobe Acrobat (DC|Pro)", "map", "Adobe", "Acrobat", r"\1"),
    (40, "", r"^7-Zip", "map", "Igor Pavlov", "7-Zip", ""),
    (40, "", r"^WinRAR", "map", "win.rar", "WinRAR", ""),
    (40, "autodesk", r"^AutoCAD (\d{4})", "map", "Autodesk", "AutoCAD", r"\1"),
    (40, "1c", r"^1C:Enterprise", "map", "1C", "1C:Enterprise", ""),
    (40, "", r"^Kaspersky Endpoint Security", "map", "Kaspersky", "Endpoint Security", ""),
    (40, "", r"^ESET Endpoint (Security|Antivirus)", "map", "ESET", "Endpoint Security", r"\1"),
    (40, "", r"^Windows Defender$", "map", "Microsoft", "Defender Antivirus", ""),
    (40, "", r"^Google Chrome$", "map", "Google", "Chrome", ""),
    (40, "", r"^Notepad\+\+", "map", "Notepad++ Team", "Notepad++", ""),
    (50, "ubuntu", r"^clamav$", "map", "Cisco", "ClamAV", ""),
]
# (vendor, product, commercial)
PRODUCTS = [
    ("Microsoft", "Office", True),
    ("Microsoft", "Microsoft 365 Apps", True),
    ("Microsoft", "Visio", True),
    ("Microsoft", "Project", True),
    ("Adobe", "Acrobat", True),
    ("Adobe", "Acrobat Reader", False),
    ("win.rar", "WinRAR", True),
    ("Autodesk", "AutoCAD", True),
    ("1C", "1C:Enterprise", True),
    ("Kaspersky", "Endpoint Security", True),
    ("ESET", "Endpoint Security", True),
    ("Cisco", "ClamAV", False),
    ("Igor Pavlov", "7-Zip", False),
    ("Google", "Chrome", False),
    ("Notepad++ Team", "Notepad++", False),
]
