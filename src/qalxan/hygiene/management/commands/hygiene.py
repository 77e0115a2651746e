"""`qalxan hygiene …`: import inventories, advisories and known-exploited lists; recompute figures."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qalxan.hygiene import advisories, figures, pipeline
from qalxan.hygiene.parsers import InventoryRejected
from qalxan.organizations.models import Organization


class Command(BaseCommand):
    help = "Endpoint hygiene: import inventories (osquery, CycloneDX, SPDX, CSV), OSV advisories, KEV lists."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import inventory files of one institution (all-or-nothing).")
        imp.add_argument("files", nargs="+", type=Path)
        imp.add_argument("--organization", required=True, help="The institution's code.")
        imp.add_argument(
            "--format", default="", help="osquery, cyclonedx-json, cyclonedx-xml, spdx-json or csv."
        )
        imp.add_argument("--host", default="", help="The endpoint an SBOM describes, when it does not say.")
        imp.add_argument("--user", default="", help="Act as this user (default: the system).")
        osv = sub.add_parser("advisories", help="Import OSV advisories (JSON files or zip dumps).")
        osv.add_argument("files", nargs="+", type=Path)
        kev = sub.add_parser("kev", help="Import a known-exploited list (CISA KEV JSON or CSV).")
        kev.add_argument("files", nargs="+", type=Path)
        sub.add_parser("recompute", help="Recompute every institution's licence positions and score.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user {options['user']}")
        try:
            if action == "import":
                self._import(options, actor)
            elif action in {"advisories", "kev"}:
                for path in options["files"]:
                    importer = (
                        advisories.import_osv if action == "advisories" else advisories.import_known_exploited
                    )
                    result = importer(
                        actor=actor, filename=path.name, content=path.read_bytes(), system=actor is None
                    )
                    self.stdout.write(
                        f"{path}: {result.advisories} advisories, {result.packages} ranges, "
                        f"{result.known_exploited} KEV"
                    )
            else:
                from qalxan.hygiene.models import Endpoint

                for organization_id in Endpoint.objects.values_list("organization_id", flat=True).distinct():
                    score = figures.recompute(organization_id=organization_id)
                    self.stdout.write(f"{organization_id}: {score.score}")
        except InventoryRejected as exc:
            raise CommandError(f"rejected: line {exc.line}, field {exc.field or '-'}: {exc.reason}") from exc

    def _import(self, options: dict[str, Any], actor: Any) -> None:
        org = Organization.objects.filter(code=options["organization"]).first()
        if org is None:
            raise CommandError(f"unknown organisation {options['organization']}")
        uploads = [
            pipeline.Upload(
                organization=org,
                filename=p.name,
                content=p.read_bytes(),
                format=options["format"],
                host=options["host"],
            )
            for p in options["files"]
        ]
        started = time.perf_counter()
        result = pipeline.ingest(actor=actor, uploads=uploads, system=actor is None)
        self.stdout.write(
            f"{len(result.snapshots)} snapshots, {result.endpoints} endpoints ({result.new_endpoints} new), "
            f"{result.rows} rows, {result.findings} vulnerable packages "
            f"in {time.perf_counter() - started:.2f} s"
        )
