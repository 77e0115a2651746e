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


# --- the line scanner against the columnar reference ------------------------------------------------

PARITY_INDICATORS = (
    INDICATORS
    + """xn--bcher-kva.az
mail.corp-evil.net
https://dl.evil.az:8443/a/b?c=1
203.0.113.7
198.51.100.0/25
2001:db8::7
attacker@evil.az
da39a3ee5e6b4b0d3255bfef95601890afd80709
invoice.pdf.exe
"""
)


def _mutate(rng: random.Random, text: str) -> str:
    """The same value as logs write it: letter case, trailing dots, sub-domains, spaces."""
    choice = rng.randrange(8)
    if choice == 0:
        return text.upper()
    if choice == 1:
        return "".join(c.upper() if rng.random() < 0.5 else c for c in text)
    if choice == 2:
        return text + "."
    if choice == 3:
        return f"{rng.choice(['www', 'a.b', 'x-1'])}.{text}"
    if choice == 4:
        return f" {text} "
    if choice == 5:
        return "not" + text
    return text


def _odd_value(rng: random.Random) -> Any:
    return rng.choice(
        [
            None,
            17,
            -0.5,
            True,
            {"nested": "evil.az"},
            ["evil.az"],
            "",
            "bücher.az",
            "BÜCHER.AZ.",
            "evil..az",
            ".evil.az",
            "ev il.az",
            "evil.az\u00a0",
            "\u0435vil.az",  # Cyrillic e
            "WWW.MAIL.CORP-EVIL.NET...",
            "x.y.z.w.sub.MAIL.corp-evil.net",
            "a..b.mail.corp-evil.net",
            "0123456789abcdef.evil.az",
            "0123456789abcde..evil.az",
            "..........evil.az",
            "sub_domain.mail.corp-evil.net",
            "a-very-long-label-of-more-than-sixteen-bytes.bad.example.org.",
        ]
    )


def _parity_log(rng: random.Random, n: int) -> bytes:
    domains = ["evil.az", "bad.example.org", "xn--bcher-kva.az", "mail.corp-evil.net", "benign.az", "az"]
    urls = [
        "http://phish.az/login",
        "HTTP://PHISH.AZ:80/login",
        "http://phish.az/login?x=1",
        "http://phish.az/login#frag",
        "http://user@phish.az/login",
        "https://dl.evil.az:8443/a/b?c=1",
        "https://DL.evil.az:8443/a/./b?c=1",
        "https://dl.evil.az/a/b?c=1",
        "phish.az/login",
        "http://[2001:db8::7]/login",
        "http://phish.az%2Flogin",
        "http://ph%69sh.az/login",
        "ftp://phish.az/login",
    ]
    ips = [
        "185.220.101.0",
        "185.220.101.255",
        "185.220.102.0",
        "185.220.100.255",
        "10.66.6.6",
        "10.66.255.255",
        "10.67.0.0",
        "45.137.21.9",
        "45.137.21.09",
        "045.137.021.009",
        " 45.137.21.9 ",
        "45.137.21.9%eth0",
        "[45.137.21.9]",
        "203.0.113.7",
        "198.51.100.127",
        "198.51.100.128",
        "2001:DB8:BAD::1",
        "2001:db8:0bad:0000::1",
        "[2001:db8::7]",
        "2001:0db8:0000:0000:0000:0000:0000:0007",
        "::ffff:45.137.21.9",
        "fe80::1%eth0",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
    ]
    hashes = ["d41d8cd98f00b204e9800998ecf8427e", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "00" * 16]
    images = [
        r"C:\Users\x\Invoice.PDF.exe",
        "/var/cache/dropper.exe",
        "dropper.exe/",
        r"C:\Temp\ok.exe",
        "DROPPER.EXE ",
    ]
    emails = ["Attacker@Evil.AZ", "attacker@evil.az ", "friend@evil.az"]
    lines: list[bytes] = []
    for number in range(n):
        kind = rng.randrange(14)
        if kind == 0:
            lines.append(
                rng.choice(
                    [
                        b'{"ts": 1, "query": "evil.az"',
                        b'{"ts": 1, "query": "evil.az",}',
                        b'["evil.az"]',
                        b'{"query": "evil.\xff.az"}',
                        b'{"query": "evil.az"} trailing',
                        b"evil.az",
                        b'{"query": "ev\x01il.az"}',
                        b'{"query": "\\x41"}',
                        b'{"query": 01}',
                        b'{"ts": NaN, "query": "evil.az"}',
                    ]
                )
            )
            continue
        if kind == 1:
            lines.append(rng.choice([b"", b"   ", b"\t", b"\r"]))
            continue
        record: dict[str, Any] = {
            "ts": rng.choice([1700000000 + number, f"2026-12-01T08:{number % 60:02}:00Z", 1.25])
        }
        fields = {
            "query": _mutate(rng, rng.choice(domains)),
            "answer": rng.choice(ips),
            "dst_ip": rng.choice(ips),
            "src_ip": rng.choice(ips),
            "sender_domain": _mutate(rng, rng.choice(domains)),
            "sha256": rng.choice(hashes),
            "url": rng.choice(urls),
            "host": _mutate(rng, rng.choice(domains)),
            "md5": _mutate(rng, rng.choice(hashes)) if rng.random() < 0.5 else rng.choice(hashes),
            "image": rng.choice(images),
            "sender": rng.choice(emails),
        }
        for name, value in fields.items():
            if rng.random() < 0.6:
                record[name] = _odd_value(rng) if rng.random() < 0.1 else value
        if rng.random() < 0.1:
            record["meta"] = {"query": "evil.az", "deep": [[{"a": None}]], "n": 1.5e-3}
        ensure_ascii = rng.random() < 0.3
        text = json.dumps(
            record, ensure_ascii=ensure_ascii, separators=rng.choice([(",", ":"), (", ", ": ")])
        )
        if rng.random() < 0.05:
            text = text.replace('"query"', '"\\u0071uery"')  # an escaped key
        line = text.encode()
        if rng.random() < 0.05:
            line += b"\r"
        lines.append(line)
    return b"\n".join(lines)  # the last line without its newline


def _reference(
    engine: Engine, path: Path, log_type: Any
) -> tuple[set[tuple[Any, ...]], tuple[int, int, int]]:
    """The columnar path (DuckDB / orjson line by line, polars matching) on the same file."""
    from qalxan.intel.sweep.engine import FileStats

    stats = FileStats(str(path), log_type.name)
    found: set[tuple[Any, ...]] = set()
    for frame in engine.frames(path, log_type, stats):
        stats.events += frame.height
        matches = engine.match_frame(frame, log_type, str(path))
        if matches.height:
            found |= set(matches.select("_line", "field", "indicator", "observed", "timestamp").iter_rows())
    return found, (stats.lines, stats.events, stats.malformed)


@pytest.mark.parametrize("log_type", ["dns", "proxy", "firewall", "process", "mail"])
def test_scanner_finds_what_the_columnar_path_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_type: str
) -> None:
    from qalxan.intel.sweep import engine as engine_module

    ind = from_content(PARITY_INDICATORS)
    assert not ind.rejected
    log = _parity_log(random.Random(log_type), 4_000)
    path = tmp_path / f"{log_type}.jsonl"
    path.write_bytes(log)
    engine = Engine(ind)
    expected, counts = _reference(engine, path, BUILTIN[log_type])
    assert len(expected) > 50  # the log plants plenty of matches of this type

    def scanned(file: Path) -> tuple[set[tuple[Any, ...]], tuple[int, int, int]]:
        stats, frames = engine.sweep_file(file, BUILTIN[log_type])
        rows = set()
        for frame in frames:
            rows |= set(frame.select("_line", "field", "indicator", "observed", "timestamp").iter_rows())
        return rows, (stats.lines, stats.events, stats.malformed)

    assert scanned(path) == (expected, counts)
    # Many small blocks over several threads, and gzip: the same lines, the same numbers.
    monkeypatch.setattr(engine_module, "SCAN_BYTES", 4096)
    engine.threads = 3
    assert scanned(path) == (expected, counts)
    gz = tmp_path / f"{log_type}.jsonl.gz"
    gz.write_bytes(gzip.compress(log))
    assert scanned(gz) == (expected, counts)


def test_scanner_line_rules(tmp_path: Path) -> None:
    ind = from_content(INDICATORS)
    engine = Engine(ind)
    path = tmp_path / "dns.jsonl"
    path.write_bytes(
        b'{"query": "benign.az", "query": "evil.az"}\r\n'  # the last of duplicate keys, as orjson reads it
        b'{"query": "evil.az", "query": "benign.az"}\n'
        b'\x0b{"query":"\\u0065vil\\u002eaz","ts":"\\u0032"}\x0c\n'  # escapes decoded, odd white space
        b'{"query": {"name": "evil.az"}}\n'  # an object is no domain
        b'{"query": "' + "ЕVIL.az".encode() + b'"}\n'
        b"{}\n"
        b'{"query": "evil.az\\ud800"}\n'  # a lone surrogate: orjson decides
        b"\n"
        b'{"query": "sub.EVIL.AZ", "ts": 5}'
    )
    stats, frames = engine.sweep_file(path, BUILTIN["dns"])
    rows = sorted(
        (int(a), b, c) for f in frames for a, b, c in f.select("_line", "observed", "timestamp").iter_rows()
    )
    assert rows == [(1, "evil.az", None), (3, "evil.az", "2"), (9, "sub.EVIL.AZ", "5")]
    assert (stats.lines, stats.events, stats.malformed) == (9, 7, 1)
    assert stats.examples == [(7, '{"query": "evil.az\\ud800"}')]
