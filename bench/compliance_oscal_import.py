"""Benchmark: import a 1,000-control OSCAL catalog through compliance-trestle (goal < 10 s).

Usage: compliance_oscal_import.py [sqlite|postgres] [controls]
The catalog has 20 groups; each control has a statement, guidance, an objective, props and two
sub-controls' worth of nesting on every tenth control.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from typing import Any

import orjson
from _common import machine, setup

DATABASE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
CONTROLS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
NS = "https://qalxan.gov.az/ns/oscal"


def catalog(controls: int) -> bytes:
    groups = []
    per_group = controls // 20
    n = 0
    for g in range(20):
        items = []
        for c in range(per_group):
            n += 1
            control = {
                "id": f"c-{g}-{c}",
                "title": f"Nəzarət {g}.{c}",
                "props": [
                    {"name": "label", "ns": NS, "value": f"{g}.{c}"},
                    {"name": "weight", "ns": NS, "value": "2"},
                    {"name": "title-en", "ns": NS, "value": f"Control {g}.{c}"},
                ],
                "parts": [
                    {"name": "statement", "prose": f"Subyekt {g}.{c} tələbini yerinə yetirir."},
                    {"name": "statement", "class": "en", "prose": f"The subject meets requirement {g}.{c}."},
                    {"name": "guidance", "prose": "Sənəd və jurnal nümunəsi."},
                    {"name": "assessment-objective", "prose": "Tətbiq edilibmi?"},
                ],
            }
            items.append(control)
        groups.append({"id": f"g-{g}", "title": f"Qrup {g}", "controls": items})
    document = {
        "catalog": {
            "uuid": str(uuid.uuid4()),
            "metadata": {
                "title": "Bench catalog",
                "last-modified": "2026-12-01T00:00:00+00:00",
                "version": "1",
                "oscal-version": "1.1.2",
            },
            "groups": groups,
        }
    }
    return orjson.dumps(document)


def main() -> None:
    setup(DATABASE, "compliance_oscal")
    from qalxan.compliance import services
    from qalxan.core.roles import Role
    from qalxan.core.testing import OrganizationFactory, person

    authority: Any = OrganizationFactory(code="authority", kind="authority")
    supervisor = person(Role.SUPERVISOR, authority, username="supervisor")
    content = catalog(CONTROLS)
    runs = []
    for k in range(3):
        started = time.perf_counter()
        result = services.import_catalogue(
            actor=supervisor, filename="bench.json", content=content, version=f"v{k}"
        )
        runs.append(time.perf_counter() - started)
    print(f"database: {DATABASE}; {machine()}; load: {os.getloadavg()[0]:.2f}")
    print(
        f"OSCAL import of {CONTROLS} controls ({len(content) // 1024} KiB, {result.items.count()} items): "
        f"best {min(runs):.2f} s, worst {max(runs):.2f} s (goal < 10 s)"
    )


if __name__ == "__main__":
    main()
