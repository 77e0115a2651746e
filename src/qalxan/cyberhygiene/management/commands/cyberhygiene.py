"""`qalxan cyberhygiene ingest FILE... [--name N] [--source S] [--date YYYY-MM-DD] [--user U] [--no-notify]`
and `qalxan cyberhygiene notify`: leak ingestion and institution notices from the command line."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qalxan.cyberhygiene import services


class Command(BaseCommand):
    help = (
        "Ingest credential leaks (combination lists, stealer-log folders or zip archives, CSV) "
        "and notify institutions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="Ingest the files of one leak.")
        ingest.add_argument("files", nargs="+", type=Path)
        ingest.add_argument("--name", help="Name of the leak (default: the first file's name).")
        ingest.add_argument("--source", default="", help="Where the leak was found.")
        ingest.add_argument("--date", type=dt.date.fromisoformat, help="Leak date, YYYY-MM-DD.")
        ingest.add_argument("--user", help="Act as this user (default: the first superuser).")
        ingest.add_argument("--no-notify", action="store_true", help="Do not notify the institutions now.")
        notify = sub.add_parser("notify", help="Notify institutions of accounts not yet notified.")
        notify.add_argument("--user")

    def _actor(self, username: str | None) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        )
        if actor is None:
            raise CommandError(f"No active user {username!r}" if username else "No superuser; give --user.")
        return actor

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options.get("user"))
        try:
            if options["action"] == "notify":
                count = services.notify_institutions(actor=actor)
                self.stdout.write(f"{count} accounts notified")
                return
            self._ingest(actor, options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{actor} may not ingest leaks") from exc

    def _ingest(self, actor: Any, options: dict[str, Any]) -> None:
        files: list[Path] = [p.resolve() for p in options["files"]]
        leak = services.register_leak(
            actor=actor,
            name=options.get("name") or files[0].name,
            paths=files,
            source=options["source"],
            leaked_on=options.get("date"),
        )
        self.stderr.write(f"leak #{leak.pk}: {leak.bytes_total:,} bytes")
        started = time.perf_counter()
        leak = services.ingest_leak(
            actor=actor, leak=leak, paths=files, notify=False if options["no_notify"] else None
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"leak #{leak.pk} {leak.name}: {leak.lines_total:,} lines in {elapsed:.1f} s, "
            f"{leak.lines_malformed:,} malformed, {leak.records_matched} state accounts "
            f"({leak.accounts_new} new, {leak.accounts_known} seen before) in "
            f"{leak.organizations_affected} institutions"
        )
