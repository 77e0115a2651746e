"""Benchmark: generate the protocol of a 20-item meeting (two tasks per decision) as DOCX and PDF.

Prints the time to build the protocol's content from the database and to render it as DOCX and as PDF
(WeasyPrint), the median of five runs after one warm-up. The issue asks for under 3 s.
Run: .venv/bin/python bench/commission_protocol.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 20
RUNS = 5


def main() -> None:
    os.environ["QALXAN_VAR_DIR"] = tempfile.mkdtemp(prefix="qalxan-bench-commission-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "qalxan.settings"
    os.environ["QALXAN_HUEY_IMMEDIATE"] = "1"
    os.environ.pop("QALXAN_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from qalxan.commission import documents, services
    from qalxan.commission.choices import MemberRole
    from qalxan.organizations.models import Organization
    from qalxan.organizations.services import _rebuild_paths

    call_command("migrate", verbosity=0)
    actor = get_user_model().objects.create_superuser("bench", "bench@example.az", "Bench-password-2026")
    authority = Organization.objects.create(
        code="xritdx", short_name="XRİTDX", name_az="XRİTDX", kind="authority"
    )
    institutions = []
    for n in range(12):
        org = Organization.objects.create(
            code=f"body-{n}",
            short_name=f"NAZ-{n}",
            name_az=f"Nazirlik {n}",
            name_en=f"Ministry {n}",
            kind="ministry",
        )
        institutions.append(org)
    for org in [authority, *institutions]:
        _rebuild_paths(org)
    chair = services.save_member(
        actor=actor, organization=authority, full_name="Sədr", position="Rəis", role=MemberRole.CHAIR
    )
    for n, org in enumerate(institutions):
        services.save_member(
            actor=actor,
            organization=org,
            full_name=f"Üzv {n}",
            position="Nazir müavini",
            role=MemberRole.MEMBER,
        )
    meeting = services.create_meeting(
        actor=actor, title="Benchmark meeting", starts_at=timezone.now(), place="Bakı", chair=chair
    )
    for n in range(1, ITEMS + 1):
        item = services.add_agenda_item(
            actor=actor, meeting=meeting, title=f"Gündəlik məsələsi {n}", presenter="XRİTDX"
        )
        services.update_agenda_item(actor=actor, item=item, summary="Müzakirənin xülasəsi. " * 12)
        decision = services.record_decision(
            actor=actor, agenda_item=item, text=f"Qərar {n}. " + "Mətn. " * 30
        )
        for t in range(2):
            services.add_task(
                actor=actor,
                decision=decision,
                text=f"Tapşırıq {n}.{t + 1}: " + "icra etmək " * 10,
                responsible=institutions[(n + t) % len(institutions)],
                co_executors=[institutions[(n + t + 1) % len(institutions)]],
                deadline=dt.date(2027, 1, 1) + dt.timedelta(days=n),
                expected_result="Hesabat",
            )

    def once() -> tuple[float, float, float, int, int]:
        start = time.perf_counter()
        content = documents.protocol_content(meeting)
        built = time.perf_counter()
        docx = documents.protocol_docx(content, "az")
        docx_done = time.perf_counter()
        pdf = documents.protocol_pdf(content, "az")
        pdf_done = time.perf_counter()
        return built - start, docx_done - built, pdf_done - docx_done, len(docx), len(pdf)

    once()  # warm-up: fonts, templates, imports
    runs = [once() for _ in range(RUNS)]
    content_s = statistics.median(r[0] for r in runs)
    docx_s = statistics.median(r[1] for r in runs)
    pdf_s = statistics.median(r[2] for r in runs)
    total = statistics.median(r[0] + r[1] + r[2] for r in runs)
    print(
        f"protocol of a {ITEMS}-item meeting ({ITEMS * 2} tasks): content {content_s:.3f} s, "
        f"DOCX {docx_s:.3f} s ({runs[0][3] // 1024} KiB), PDF {pdf_s:.3f} s ({runs[0][4] // 1024} KiB); "
        f"DOCX + PDF total {total:.2f} s (median of {RUNS}; target < 3 s)"
    )
    if total >= 3:
        sys.exit(1)


if __name__ == "__main__":
    main()
