"""Run the SMTP listener of the e-mail intake: `qalxan manage incident_smtpd --host 127.0.0.1 --port 2525`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qalxan.incidents.intake import smtp_controller


class Command(BaseCommand):
    help = "Receive incident reports by e-mail (SMTP)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args: Any, **options: Any) -> None:
        controller = smtp_controller(options["host"], options["port"])
        controller.start()
        self.stdout.write(f"Listening on {options['host']}:{options['port']}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
