"""`qalxan sweep --indicators FILE_OR_URL LOG...`: match an institution's own logs against indicators.

Raw logs never leave the machine: the sweep writes sightings as JSON lines and, with `--upload`, sends
only the sightings (one per indicator, field and file, with the first line and a count) to the platform.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qalxan.intel.sweep import mappings
from qalxan.intel.sweep.engine import Engine, iso_time, write_matches
from qalxan.intel.sweep.indicators import load


class Command(BaseCommand):
    help = "Match JSON-lines or CSV logs (gzip accepted) against threat indicators; write sightings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("logs", nargs="+", help="log files (.jsonl/.json/.csv, optionally .gz)")
        parser.add_argument(
            "--indicators",
            required=True,
            help="a STIX bundle, MISP event or text file, or the platform's export URL",
        )
        parser.add_argument(
            "--type",
            dest="log_type",
            help=f"log type: {', '.join(mappings.BUILTIN)} (default: from the file name)",
        )
        parser.add_argument("--mapping", help="a JSON file declaring a log type (name, time, fields)")
        parser.add_argument(
            "--output", "-o", help="where to write sightings as JSON lines (default: sightings.jsonl)"
        )
        parser.add_argument("--upload", action="store_true", help="send the sightings to the platform")
        parser.add_argument(
            "--url", default=os.environ.get("QALXAN_URL", ""), help="the platform's address (QALXAN_URL)"
        )
        parser.add_argument(
            "--token", default=os.environ.get("QALXAN_TOKEN", ""), help="API token (QALXAN_TOKEN)"
        )
        parser.add_argument(
            "--organization", type=int, help="your institution's id on the platform (for --upload)"
        )
        parser.add_argument("--threads", type=int, default=0, help="scanning threads (default: all cores)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        token = options["token"]
        source = options["indicators"]
        try:
            indicators = load(source, token=token)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the indicators: {exc}") from exc
        engine = Engine(indicators, threads=options["threads"] or None)
        engine.prepare()  # the scanner's tables are part of loading, not of scanning
        loaded = time.perf_counter() - started
        self.stdout.write(
            f"indicators: {indicators.size} ({len(indicators.rejected)} rejected) in {loaded:.1f} s"
        )
        for number, value, reason in indicators.rejected[:10]:
            self.stdout.write(f"  rejected line {number}: {value} ({reason})")
        declared = mappings.load(options["mapping"]) if options["mapping"] else None
        if options["log_type"] and options["log_type"] not in mappings.BUILTIN:
            raise CommandError(
                f"Unknown log type {options['log_type']}; use {', '.join(mappings.BUILTIN)} or --mapping."
            )
        output = Path(options["output"] or "sightings.jsonl")
        total_events = total_matches = total_malformed = 0
        scan = 0.0
        uploads: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        with output.open("wb") as out:
            for name in options["logs"]:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"No such log file: {name}")
                log_type = declared or (
                    mappings.BUILTIN[options["log_type"]] if options["log_type"] else mappings.guess(path)
                )
                if log_type is None:
                    raise CommandError(f"Cannot tell the log type of {name}: use --type or --mapping.")
                stats, frames = engine.sweep_file(path, log_type)
                write_matches(out, str(path), log_type.name, frames)
                scan += stats.seconds
                total_events += stats.events
                total_matches += stats.matches
                total_malformed += stats.malformed
                rate = stats.events / stats.seconds if stats.seconds else 0
                self.stdout.write(
                    f"{path}: {log_type.name}, {stats.lines} lines, {stats.events} events, "
                    f"{stats.malformed} malformed, "
                    f"{stats.matches} matches, {stats.seconds:.2f} s ({rate / 1e6:.2f} M events/s)"
                )
                for line, text in stats.examples[:5]:
                    self.stdout.write(f"  malformed line {line}: {text[:100]}")
                for field_name, count in sorted(stats.by_field.items()):
                    self.stdout.write(f"  {field_name}: {count}")
                if options["upload"]:
                    for frame in frames:
                        for line, ts, indicator, field_name, kind in frame.select(
                            "_line", "timestamp", "indicator", "field", "kind"
                        ).iter_rows():
                            key = (str(path), field_name, kind, indicator)
                            item = uploads.get(key)
                            if item is None:
                                uploads[key] = {"line": line, "seen_at": iso_time(ts), "count": 1}
                            else:
                                item["count"] += 1
        rate = total_events / scan if scan else 0
        self.stdout.write(
            f"total: {total_events} events, {total_malformed} malformed, "
            f"{total_matches} matches in {scan:.2f} s "
            f"({rate / 1e6:.2f} M events/s); sightings written to {output}"
        )
        if options["upload"]:
            self._upload(options, uploads)

    def _upload(
        self, options: dict[str, Any], uploads: dict[tuple[str, str, str, str], dict[str, Any]]
    ) -> None:
        import httpx

        if not (options["url"] and options["token"] and options["organization"]):
            raise CommandError("--upload needs --url, --token and --organization.")
        kinds = {"domain": "domain", "url": "url", "email": "email", "filename": "filename"}
        rows = []
        for (path, field_name, kind, indicator), item in uploads.items():
            stored_kind = kinds.get(kind) or _kind_of(kind, indicator)
            rows.append(
                {
                    "kind": stored_kind,
                    "value": indicator,
                    "seen_at": item["seen_at"],
                    "line": item["line"],
                    "count": item["count"],
                    "field": field_name,
                    "log_file": Path(path).name,
                    "source": "sweep",
                }
            )
        endpoint = options["url"].rstrip("/") + "/api/v1/intel/sightings/"
        sent = 0
        with httpx.Client(headers={"Authorization": f"Token {options['token']}"}, timeout=120) as client:
            for i in range(0, len(rows), 5000):
                response = client.post(
                    endpoint, json={"organization": options["organization"], "sightings": rows[i : i + 5000]}
                )
                if response.status_code != 201:
                    raise CommandError(f"Upload refused ({response.status_code}): {response.text[:500]}")
                sent += response.json()["created"]
        self.stdout.write(f"uploaded {sent} sightings to {endpoint}")
        sys.stdout.flush()


def _kind_of(kind: str, indicator: str) -> str:
    if kind == "ip":
        return "cidr" if "/" in indicator else ("ipv6" if ":" in indicator else "ipv4")
    if kind == "hash":
        return {32: "md5", 40: "sha1", 64: "sha256"}.get(len(indicator), "sha256")
    return kind
