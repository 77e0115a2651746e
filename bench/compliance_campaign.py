"""Benchmark: launch a campaign over 2,000 subjects with a 150-requirement catalogue (300,000 requirement
assessments; goal < 30 s), then recompute all its scores after the subjects answered (goal < 5 s).

Usage: compliance_campaign.py [sqlite|postgres] [subjects] [requirements]
Each subject owns one designated CII object; every requirement applies to it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from decimal import Decimal
from typing import Any

from _common import machine, setup

DATABASE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
SUBJECTS = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
REQUIREMENTS = int(sys.argv[3]) if len(sys.argv) > 3 else 150
GROUPS = 10


def main() -> None:
    setup(DATABASE, "compliance_campaign")
    from django.db import connection
    from django.utils import timezone

    from qalxan.compliance import library, services
    from qalxan.compliance.choices import Answer, ItemKind
    from qalxan.compliance.models import RequirementAssessment
    from qalxan.core.roles import Role
    from qalxan.core.testing import OrganizationFactory, person
    from qalxan.organizations.models import Organization, Sector
    from qalxan.organizations.sectors import ensure_sectors
    from qalxan.registry.models import InformationSystem

    ensure_sectors(Sector)
    sectors = list(Sector.objects.all())
    authority: Any = OrganizationFactory(code="authority", short_name="XRİTDX", kind="authority")
    supervisor = person(Role.SUPERVISOR, authority, username="supervisor")
    Organization.objects.bulk_create(
        Organization(code=f"s{i}", short_name=f"S{i}", name_az=f"Subyekt {i}", kind="ministry", path=f"s{i}/")
        for i in range(SUBJECTS)
    )
    orgs = list(Organization.objects.filter(code__startswith="s").order_by("pk"))
    InformationSystem.objects.bulk_create(
        InformationSystem(
            name_az=f"Obyekt {i}",
            kind="information_system",
            sector=sectors[i % len(sectors)],
            owner=org,
            hosting="azstatenet",
            state="designated",
            category=("I", "II", "III")[i % 3],
        )
        for i, org in enumerate(orgs)
    )
    nodes = []
    per_group = REQUIREMENTS // GROUPS
    for g in range(GROUPS):
        nodes.append(library.Node(ref_id=f"g{g}", kind=ItemKind.GROUP, parent=None, title_az=f"Qrup {g}"))
        parent = len(nodes) - 1
        for r in range(per_group):
            nodes.append(
                library.Node(
                    ref_id=f"g{g}-r{r}",
                    kind=ItemKind.REQUIREMENT,
                    parent=parent,
                    title_az=f"Tələb {g}.{r}",
                    weight=Decimal(1 + r % 3),
                )
            )
    catalogue = services.create_catalogue(
        actor=supervisor, data=library.CatalogueData(name_az="Bench", version="1", code="bench", nodes=nodes)
    )
    from django.urls import reverse

    reverse("compliance:assessment_list")  # load the URL configuration, as a running server has
    started = time.perf_counter()
    campaign = services.launch_campaign(
        actor=supervisor,
        organization=authority,
        catalogue=catalogue,
        title="Bench",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        organizations=[o.pk for o in orgs],
    )
    launch = time.perf_counter() - started
    rows = RequirementAssessment.objects.filter(assessment__campaign=campaign).count()
    # The subjects answer: a deterministic mix of every answer (set in SQL; this is not what is timed).
    answers = [
        Answer.COMPLIANT,
        Answer.PARTIAL,
        Answer.NON_COMPLIANT,
        Answer.NOT_APPLICABLE,
        Answer.COMPLIANT,
        "",
    ]
    for k, answer in enumerate(answers):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {RequirementAssessment._meta.db_table} SET answer = %s WHERE id %% 6 = %s",
                [answer, k],
            )
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        result = services.recompute_scores(actor=supervisor, campaign=campaign)
        runs.append(time.perf_counter() - started)
    campaign.refresh_from_db()
    print(f"database: {DATABASE}; {machine()}; load: {os.getloadavg()[0]:.2f}")
    print(
        f"launch: {len(orgs)} subjects × {REQUIREMENTS} requirements = {rows} requirement assessments "
        f"in {launch:.2f} s (goal < 30 s)"
    )
    print(
        f"recompute all scores: best {min(runs):.2f} s, worst {max(runs):.2f} s, {result['scores']} scores "
        f"(goal < 5 s); campaign score {campaign.score}"
    )


if __name__ == "__main__":
    main()
