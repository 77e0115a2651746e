"""`qalxan exposure scan [--site ID | --all]` and `qalxan exposure ranges [--add CIDR]`."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qalxan.exposure import services
from qalxan.exposure.choices import ScanState, ScanTrigger
from qalxan.exposure.models import HostingRange, Scan, Site

BATCH = 200


class Command(BaseCommand):
    help = "Scan registered state websites, or list and add AzStateNet ranges."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="scan one site or all registered sites now")
        which = scan.add_mutually_exclusive_group(required=True)
        which.add_argument("--site", type=int, help="the site's id (or its registry system id)")
        which.add_argument("--all", action="store_true", help="every enabled registered website")
        ranges = sub.add_parser("ranges", help="list the AzStateNet ranges, or add one")
        ranges.add_argument("--add", metavar="CIDR")
        ranges.add_argument("--label", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "ranges":
            self.ranges(options)
            return
        services.sync_sites()
        if options["all"]:
            sites = list(Site.objects.filter(enabled=True).order_by("id"))
        else:
            site = (
                Site.objects.filter(pk=options["site"]).first()
                or Site.objects.filter(system_id=options["site"]).first()
            )
            if site is None:
                raise CommandError(f"No registered website with id {options['site']}.")
            sites = [site]
        scans: list[Scan] = []
        for site in sites:
            try:
                scans.append(
                    services.request_scan(actor=None, site=site, trigger=ScanTrigger.COMMAND, enqueue=False)
                )
            except ValidationError as exc:
                self.stderr.write(f"{site}: {' '.join(exc.messages)}")
        started = time.perf_counter()
        done: list[Scan] = []
        for start in range(0, len(scans), BATCH):
            done.extend(services.run_scans(scans[start : start + BATCH]))
        for scan in done:
            state = "finished" if scan.state == ScanState.FINISHED else scan.state
            self.stdout.write(
                f"site {scan.site_id} {scan.site}: {state}, "
                f"score {scan.score if scan.score is not None else '—'}, "
                f"{scan.new_findings} new, {scan.fixed_findings} fixed, {len(scan.notes)} notes"
            )
        self.stdout.write(f"{len(done)} sites scanned in {time.perf_counter() - started:.1f} s")

    def ranges(self, options: dict[str, Any]) -> None:
        if options.get("add"):
            try:
                entry = services.add_hosting_range(
                    actor=_system_actor(), cidr=options["add"], label=options.get("label", "")
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(f"added {entry.cidr}")
        for entry in HostingRange.objects.all():
            self.stdout.write(f"{entry.cidr}\t{entry.label}")


def _system_actor() -> Any:
    """The command line acts as the platform itself (an active superuser's rights)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if user is None:
        raise CommandError("No active superuser to record as the actor.")
    return user
