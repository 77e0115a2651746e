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
        national = sub.add_parser(
            "import-national",
            help="Import a folder of institutions' inventories: one file per institution, named by its "
            "code (e.g. MIN-01.log), in batches of institutions, each batch all-or-nothing.",
        )
        national.add_argument("folder", type=Path)
        national.add_argument("--batch", type=int, default=4, help="Institutions per batch (default 4).")
        national.add_argument("--format", default="", help="As for import; by default from each file.")
        national.add_argument("--user", default="", help="Act as this user (default: the system).")
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
            elif action == "import-national":
                self._import_national(options, actor)
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

    def _import_national(self, options: dict[str, Any], actor: Any) -> None:
        """The folder's files in batches; the next batch is read and parsed while the current one is
        written (`pipeline.ingest_batches`). A rejected file refuses its batch; the batches before it
        stay stored, and the command says which institutions they were."""
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        known = {o.code: o for o in Organization.objects.filter(code__in=[p.stem for p in files])}
        unknown = [p.name for p in files if p.stem not in known]
        if unknown:
            raise CommandError(f"no institution with the code of: {', '.join(unknown)}")
        size = max(1, options["batch"])
        groups = [files[i : i + size] for i in range(0, len(files), size)]

        def batches() -> Any:
            for group in groups:
                yield [
                    pipeline.Upload(
                        organization=known[p.stem],
                        filename=p.name,
                        content=p.read_bytes(),
                        format=options["format"],
                    )
                    for p in group
                ]

        started = time.perf_counter()
        stored: list[str] = []
        rows = 0
        try:
            results = pipeline.ingest_batches(actor=actor, batches=batches(), system=actor is None)
            for group, result in zip(groups, results, strict=False):
                stored.extend(p.stem for p in group)
                rows += result.rows
                self.stdout.write(
                    f"{', '.join(p.stem for p in group)}: {result.endpoints} endpoints, {result.rows} rows, "
                    f"{result.findings} vulnerable packages"
                )
        except InventoryRejected as exc:
            done = ", ".join(stored) or "none"
            raise CommandError(
                f"rejected: {exc.filename}, line {exc.line}, field {exc.field or '-'}: {exc.reason} "
                f"(stored before it: {done})"
            ) from exc
        self.stdout.write(f"{len(stored)} institutions, {rows} rows in {time.perf_counter() - started:.2f} s")
