"""The sweep finds exactly the planted matches in generated logs; malformed lines are counted, not fatal."""

import csv
import gzip
import io
import json
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command

from qalxan.intel.sweep.engine import Engine
from qalxan.intel.sweep.indicators import from_content
from qalxan.intel.sweep.mappings import BUILTIN

INDICATORS = """evil.az
bad.example.org
185.220.101.0/24
10.66.0.0/16
10.66.6.0/24
45.137.21.9
2001:db8:bad::/48
http://phish.az/login
d41d8cd98f00b204e9800998ecf8427e
dropper.exe
"""


def _dns(rng: random.Random, n: int) -> tuple[bytes, set[tuple[int, str, str]]]:
    lines, expected = [], set()
    planted = {
        "WWW.EVIL.AZ.": ("query", "evil.az"),
        "evil.az": ("query", "evil.az"),
        "x.y.bad.example.org": ("query", "bad.example.org"),
    }
    for number in range(1, n + 1):
        if number % 997 == 0:
            lines.append(b'{"ts": 1, "query": "broken')  # malformed
            continue
        query = f"host{rng.randrange(10**6)}.benign{rng.randrange(100)}.com"
        answer = f"93.184.{rng.randrange(256)}.{rng.randrange(256)}"
        if number % 101 == 0:
            query = list(planted)[number % 3]
            expected.add((number, *planted[query]))
        if number % 173 == 0:
            answer = f"185.220.101.{number % 256}"
            expected.add((number, "answer", "185.220.101.0/24"))
        if number % 409 == 0:
            answer = "2001:DB8:BAD:0::17"
            expected.add((number, "answer", "2001:db8:bad::/48"))
        lines.append(
            orjson.dumps({"ts": 1700000000 + number, "client": "10.0.0.1", "query": query, "answer": answer})
        )
    # Near misses that must not match.
    lines.append(orjson.dumps({"ts": 1, "query": "notevil.az", "answer": "185.220.102.1"}))
    lines.append(orjson.dumps({"ts": 1, "query": "evil.az.example.com", "answer": "45.137.21.90"}))
    return b"\n".join(lines) + b"\n", expected


def test_planted_matches_exactly(tmp_path: Path) -> None:
    rng = random.Random(7)
    ind = from_content(INDICATORS)
    engine = Engine(ind)
    dns, expected = _dns(rng, 20_000)
    path = tmp_path / "dns.jsonl"
    path.write_bytes(dns)
    stats, frames = engine.sweep_file(path, BUILTIN["dns"])
    found = {
        (int(line), f, i)
        for frame in frames
        for line, f, i in frame.select("_line", "field", "indicator").iter_rows()
    }
    assert found == expected
    assert stats.malformed == 20 and stats.lines == 20_002 and stats.events == 20_002 - 20
    assert stats.examples[0][0] == 997

    # The same log gzip-compressed, and without any malformed line (the fast path), gives the same.
    clean = b"\n".join(line for line in dns.split(b"\n") if b"broken" not in line) + b"\n"
    gz = tmp_path / "clean-dns.jsonl.gz"
    gz.write_bytes(gzip.compress(clean))
    stats2, frames2 = engine.sweep_file(gz, BUILTIN["dns"])
    assert stats2.malformed == 0 and stats2.events == 20_002 - 20
    assert sum(f.height for f in frames2) == len(expected)


def test_proxy_csv_process_and_nested_ranges(tmp_path: Path) -> None:
    ind = from_content(INDICATORS)
    engine = Engine(ind)
    proxy = tmp_path / "proxy.csv"
    rows = [
        ["ts", "url", "host", "dst_ip"],
        ["1", "HTTP://Phish.AZ:80/login", "phish.az", "1.2.3.4"],
        ["2", "http://phish.az/login?x=1", "cdn.evil.az", "10.66.6.6"],
        ["3", "https://phish.az/login", "ok.az", "10.66.1.1"],
        ["4", "only,two"],
        ["5", "http://phish.az:8080/login", "ok.az", "45.137.21.9"],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    proxy.write_text(buf.getvalue())
    stats, frames = engine.sweep_file(proxy, BUILTIN["proxy"])
    found = sorted(
        (int(a), b, c) for f in frames for a, b, c in f.select("_line", "field", "indicator").iter_rows()
    )
    assert found == [
        (2, "url", "http://phish.az/login"),
        (3, "dst_ip", "10.66.0.0/16"),
        (3, "dst_ip", "10.66.6.0/24"),
        (3, "host", "evil.az"),
        (4, "dst_ip", "10.66.0.0/16"),
        (6, "dst_ip", "45.137.21.9"),
    ]
    assert stats.malformed == 1 and stats.examples[0][0] == 5
    process = tmp_path / "process.jsonl"
    process.write_text(
        json.dumps(
            {
                "ts": "2026-12-01T08:00:00Z",
                "image": r"C:\Temp\Dropper.EXE",
                "md5": "D41D8CD98F00B204E9800998ECF8427E",
            }
        )
        + "\n\n"
        + json.dumps({"ts": "2026-12-01T08:01:00Z", "image": "/usr/bin/ls", "md5": "0" * 32})
        + "\n"
    )
    stats, frames = engine.sweep_file(process, BUILTIN["process"])
    found = sorted((int(a), b) for f in frames for a, b in f.select("_line", "field").iter_rows())
    assert found == [(1, "image"), (1, "md5")] and stats.events == 2


@pytest.mark.django_db(transaction=True)
def test_command_writes_sightings_and_uploads(live_server: Any, world: Any, tmp_path: Path) -> None:
    from qalxan.core.services import issue_api_token
    from qalxan.intel.models import Sighting, WarningList, WarningListEntry
    from qalxan.intel.tests.factories import indicator
    from qalxan.intel.warninglists import ensure_builtin

    ensure_builtin(WarningList, WarningListEntry)
    indicator("evil.az", tlp="GREEN")
    officer = world.users["officer_a"]
    _token, key = issue_api_token(actor=officer, user=officer, name="sweep")
    export = tmp_path / "indicators.txt"
    export.write_text("evil.az\n")
    log = tmp_path / "dns-today.jsonl"
    log.write_text(
        "\n".join(
            json.dumps({"ts": 1764576000 + i, "query": "a.evil.az" if i % 2 else "ok.az"}) for i in range(10)
        )
        + "\n{bad\n"
    )
    out = tmp_path / "sightings.jsonl"
    stdout = io.StringIO()
    call_command(
        "sweep",
        str(log),
        indicators=str(export),
        output=str(out),
        upload=True,
        url=live_server.url,
        token=key,
        organization=world.ministry.pk,
        stdout=stdout,
    )
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["line"] for x in lines] == [2, 4, 6, 8, 10] and lines[0]["indicator"] == "evil.az"
    assert "1 malformed" in stdout.getvalue()
    sighting = Sighting.objects.get()
    assert sighting.organization == world.ministry and sighting.count == 5 and sighting.line == 2
