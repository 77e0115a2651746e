"""Import 50,000 systems from XLSX with full validation (goal: under 60 s on 2 cores).

Prints the time to read and validate, the time to commit, and the total.
"""

from __future__ import annotations

import io
import sys
import time

from _common import machine, setup

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
DATABASE = sys.argv[2] if len(sys.argv) > 2 else "sqlite"


def main() -> None:
    setup(DATABASE, "import")
    from openpyxl import Workbook

    from qalxan.core import demo
    from qalxan.core.importers import get
    from qalxan.core.models import User
    from qalxan.organizations.models import Organization
    from qalxan.registry.models import InformationSystem, Subsector

    demo.load(scale="small", password="Bench-password-1")
    admin = User.objects.get(username="admin")
    owners = list(Organization.objects.values_list("code", flat=True))
    subsectors = list(Subsector.objects.values_list("sector__code", "code"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(
        [
            "ref",
            "name_az",
            "name_en",
            "kind",
            "sector",
            "subsector",
            "owner",
            "hosting",
            "holds_personal_data",
            "ip_ranges",
            "domains",
            "depends_on",
            "responsible_email",
        ]
    )
    for i in range(ROWS):
        sector, subsector = subsectors[i % len(subsectors)]
        depends = f"r{i - 1 - (i * 7) % min(i, 50)}" if i > 1 else ""
        sheet.append(
            [
                f"r{i}",
                f"İdxal sistemi {i}",
                f"Imported system {i}",
                "information_system",
                sector,
                subsector,
                owners[i % len(owners)],
                "azstatenet",
                "yes" if i % 3 else "no",
                f"85.{132 + (i // 65536) % 8}.{(i // 256) % 256}.0/24" if i % 2 else "",
                f"s{i}.example.gov.az" if i % 5 == 0 else "",
                depends,
                f"it{i}@example.gov.az",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    before = InformationSystem.objects.count()
    importer = get("registry-systems")(admin)
    start = time.perf_counter()
    preview = importer.run(filename="systems.xlsx", content=content, commit=False)
    validated = time.perf_counter()
    assert preview.ok, preview.errors[:5]
    result = importer.run(filename="systems.xlsx", content=content, commit=True)
    done = time.perf_counter()
    assert result.committed and InformationSystem.objects.count() == before + ROWS
    print(f"registry import, {DATABASE}: {ROWS} rows from XLSX ({len(content) / 2**20:.1f} MB)")
    print(f"  read + validate (preview): {validated - start:.1f} s")
    print(f"  read + validate + commit:  {done - validated:.1f} s")
    print(f"  machine: {machine()}")


if __name__ == "__main__":
    main()
