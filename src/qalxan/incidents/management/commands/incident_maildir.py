"""Read incident reports from a maildir: `qalxan manage incident_maildir PATH`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qalxan.incidents.intake import read_maildir


class Command(BaseCommand):
    help = "Turn the messages of a maildir into draft incident reports (or quarantine them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = read_maildir(options["path"])
        except FileNotFoundError as exc:
            raise CommandError(f"No maildir at {options['path']}") from exc
        drafts = sum(1 for r in results if r.incident is not None)
        self.stdout.write(f"{drafts} draft reports, {len(results) - drafts} quarantined")
