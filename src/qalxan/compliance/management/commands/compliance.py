"""`qalxan compliance …`: load the sample catalogues, import and export catalogues, recompute scores,
send evidence reminders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qalxan.compliance import library, samples, services
from qalxan.compliance.models import Campaign, Catalogue


class Command(BaseCommand):
    help = "Compliance catalogues and campaigns from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load-samples", help="Load the shipped sample catalogues and their mappings.")
        imp = sub.add_parser("import", help="Import an OSCAL catalog (JSON) or an XLSX sheet.")
        imp.add_argument("file")
        imp.add_argument(
            "--as", dest="username", required=True, help="The supervisor or administrator who imports."
        )
        imp.add_argument("--code", default="")
        imp.add_argument("--catalogue-version", dest="version", default="")
        imp.add_argument("--name-az", default="")
        imp.add_argument("--name-en", default="")
        imp.add_argument("--name-ru", default="")
        exp = sub.add_parser("export", help="Write a catalogue as OSCAL catalog JSON.")
        exp.add_argument("catalogue", type=int)
        exp.add_argument("-o", "--output", default="-")
        rec = sub.add_parser("recompute", help="Recompute every score of a campaign.")
        rec.add_argument("campaign", type=int)
        rec.add_argument("--as", dest="username", required=True)
        sub.add_parser("remind", help="Send the reminders about evidence that lapses soon.")

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load-samples":
            for catalogue in samples.ensure_samples():
                self.stdout.write(
                    f"{catalogue.pk}\t{catalogue.code}\t{catalogue.version}\t{catalogue.items.count()} items"
                )
        elif action == "import":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"No file {path}")
            try:
                catalogue = services.import_catalogue(
                    actor=self._user(options["username"]),
                    filename=path.name,
                    content=path.read_bytes(),
                    code=options["code"],
                    version=options["version"],
                    name_az=options["name_az"],
                    name_en=options["name_en"],
                    name_ru=options["name_ru"],
                )
            except library.CatalogueError as exc:
                for e in exc.errors:
                    self.stderr.write(f"row {e.row}\t{e.field}\t{e.message}")
                raise CommandError("The file was not imported.") from exc
            self.stdout.write(
                f"{catalogue.pk}\t{catalogue.code}\t{catalogue.version}\t{catalogue.items.count()} items"
            )
        elif action == "export":
            found = Catalogue.objects.filter(pk=options["catalogue"]).first()
            if found is None:
                raise CommandError("No such catalogue")
            data = library.catalogue_to_oscal(found)
            if options["output"] == "-":
                self.stdout.write(data.decode())
            else:
                Path(options["output"]).write_bytes(data)
        elif action == "recompute":
            campaign = Campaign.objects.filter(pk=options["campaign"]).first()
            if campaign is None:
                raise CommandError("No such campaign")
            result = services.recompute_scores(actor=self._user(options["username"]), campaign=campaign)
            self.stdout.write(f"{result['scores']} scores, {result['assessments']} assessments")
        elif action == "remind":
            self.stdout.write(f"{services.remind_expiring_evidence()} reminders")
