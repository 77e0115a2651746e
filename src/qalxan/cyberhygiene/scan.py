"""The fast path of leak ingestion: stream a combination list and keep only the lines that name a watched
domain.

Pure Python with no Django import, so that worker processes start quickly. A chunk of the file is
searched with one compiled bytes pattern for host names (after ``@``, after ``://`` and at the start
of a line); the distinct hosts of the chunk are looked up, with their parent domains, in the set of
watched domains; only the lines holding a watched host are cut out and handed on. Nothing is
decoded, split or hashed here, and nothing but the matching lines is kept, so memory stays flat.
"""

from __future__ import annotations

import os
import re
import resource
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

CHUNK_BYTES = 8 * 1024 * 1024
PIECE_BYTES = 64 * 1024 * 1024
SAMPLE_LIMIT = 20
CACHE_LIMIT = 200_000
MAX_TOP_LABELS = 64

# Each pattern starts with a literal, which lets the regular-expression engine skip ahead quickly.
AT_HOST = re.compile(rb"@([a-z0-9\-]+\.[a-z0-9.\-]+)")
URL_HOST = re.compile(rb"://([a-z0-9\-]+\.[a-z0-9.\-]+)")
# A non-empty line without any of the separators of a combination list (searched in "\n" + chunk).
MALFORMED = re.compile(rb"\n(?=([^:;|\r\n]+)\r?\n)")
# Everything but newlines and separators, removed by bytes.translate to find malformed lines cheaply.
_KEEP = b"\n:;|"
_DROP = bytes(b for b in range(256) if b not in _KEEP)
_NO_SEPARATOR = re.compile(rb"\n\n")
HOST_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789.-")
PREFIXES = (b"@", b"://")


def suffixes(host: str) -> Iterator[str]:
    """The host and each parent domain, most specific first: a.b.gov.az, b.gov.az, gov.az, az."""
    while host:
        yield host
        _, _, host = host.partition(".")


@dataclass
class ScanResult:
    """What one stretch of a file held: counts, a few malformed lines and the matching lines."""

    lines: int = 0
    malformed: int = 0
    samples: list[tuple[int, bytes]] = field(default_factory=list)  # (line number within the stretch, line)
    hits: list[tuple[int, bytes]] = field(default_factory=list)  # (line number within the stretch, line)
    bytes_read: int = 0
    peak_rss_kb: int = 0  # the largest resident memory of a process that scanned (Linux: KiB)


def host_patterns(domains: frozenset[str]) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Patterns for hosts after "@" and "://"; when the watched domains end in few top-level labels, only
    hosts ending in one of them are collected, which spares building objects for every other line."""
    tops = sorted({d.rsplit(".", 1)[-1] for d in domains if d})
    if not tops or len(tops) > MAX_TOP_LABELS:
        return AT_HOST, URL_HOST
    tail = b"|".join(re.escape(t.encode("ascii", "ignore")) for t in tops)
    host = rb"([a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:" + tail + rb"))(?![a-z0-9.\-])"
    return re.compile(b"@" + host), re.compile(b"://" + host)


class Scanner:
    """Finds the lines of a chunk that hold a host under one of the watched domains."""

    def __init__(self, domains: frozenset[str] | set[str]) -> None:
        self.domains = frozenset(d.lower().strip(".") for d in domains)
        self.at_host, self.url_host = host_patterns(self.domains)
        # Hosts already looked up, as sets so that a chunk's hosts are sorted out by set operations in C.
        self._good: set[bytes] = set()
        self._bad: set[bytes] = set()

    def _classify(self, hosts: set[bytes]) -> None:
        if len(self._bad) > CACHE_LIMIT:
            self._bad.clear()
        for host in hosts:
            name = host.decode("ascii", "replace").strip(".")
            if any(s in self.domains for s in suffixes(name)):
                self._good.add(host)
            else:
                self._bad.add(host)

    def scan_chunk(self, chunk: bytes, result: ScanResult) -> None:
        """Count the chunk's lines and keep its malformed samples and its matching lines."""
        base = result.lines
        ends_clean = chunk.endswith(b"\n")
        result.lines += chunk.count(b"\n") + (0 if not chunk or ends_clean else 1)
        result.bytes_read += len(chunk)
        reduced = b"\n" + chunk.translate(None, _DROP) + (b"" if ends_clean else b"\n")
        if _NO_SEPARATOR.search(reduced) is not None:
            # Some line has no separator (or is empty): find the real malformed lines and sample them.
            for m in MALFORMED.finditer(b"\n" + chunk if ends_clean else b"\n" + chunk + b"\n"):
                result.malformed += 1
                if len(result.samples) < SAMPLE_LIMIT:
                    result.samples.append((base + chunk.count(b"\n", 0, m.start()) + 1, m.group(1)[:200]))
        lowered = chunk.lower()
        hosts = set(self.at_host.findall(lowered))
        hosts.update(self.url_host.findall(lowered))
        fresh = hosts - self._good - self._bad
        if fresh:
            self._classify(fresh)
        found = hosts & self._good
        if not found:
            return
        starts: set[int] = set()
        size = len(lowered)
        for host in found:
            for prefix in PREFIXES:
                needle = prefix + host
                pos = lowered.find(needle)
                while pos != -1:
                    after = pos + len(needle)
                    if after >= size or lowered[after] not in HOST_CHARS:
                        starts.add(lowered.rfind(b"\n", 0, pos) + 1)
                    pos = lowered.find(needle, pos + 1)
        line_no, last = base, 0
        for start in sorted(starts):
            line_no += chunk.count(b"\n", last, start)
            last = start
            end = chunk.find(b"\n", start)
            result.hits.append((line_no + 1, chunk[start : end if end != -1 else len(chunk)]))


def _chunks(stream: BinaryIO, limit: int | None = None) -> Iterator[bytes]:
    """Whole lines in blocks of about CHUNK_BYTES; with `limit`, stop after the line that crosses it."""
    rest = b""
    remaining = limit
    while True:
        size = CHUNK_BYTES if remaining is None else min(CHUNK_BYTES, remaining)
        block = stream.read(size) if size > 0 else b""
        if remaining is not None:
            remaining -= len(block)
        if not block:
            if remaining is not None and remaining <= 0:
                # Finish the line that crosses the end of the stretch.
                tail = stream.readline()
                rest += tail
            if rest:
                yield rest
            return
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            rest = block
            continue
        rest = block[cut:]
        yield block[:cut]


def scan_stream(
    stream: BinaryIO, scanner: Scanner, progress: Callable[[int], None] | None = None
) -> ScanResult:
    """Scan a whole stream (a file, or a member of a zip archive)."""
    result = ScanResult()
    for chunk in _chunks(stream):
        scanner.scan_chunk(chunk, result)
        if progress is not None:
            progress(len(chunk))
    return result


def scan_range(path: str, start: int, end: int, domains: frozenset[str]) -> ScanResult:
    """Scan the lines that start in [start, end) of a file (a worker process runs this)."""
    scanner = Scanner(domains)
    result = ScanResult()
    with open(path, "rb", buffering=0) as raw:
        if start > 0:
            raw.seek(start - 1)
            if raw.read(1) != b"\n":
                skipped = _readline(raw)
                start += len(skipped)
        raw.seek(start)
        if start >= end:
            return result
        for chunk in _chunks(raw, end - start):
            scanner.scan_chunk(chunk, result)
    result.peak_rss_kb = peak_rss_kb()
    return result


def peak_rss_kb() -> int:
    """This process's peak resident memory in KiB (VmHWM: unlike ru_maxrss it does not carry the parent's
    peak over fork and exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _readline(raw: object) -> bytes:
    out = bytearray()
    read = raw.read  # type: ignore[attr-defined]  # io.FileIO
    while True:
        block = read(65536)
        if not block:
            return bytes(out)
        cut = block.find(b"\n")
        if cut != -1:
            out += block[: cut + 1]
            raw.seek(-(len(block) - cut - 1), os.SEEK_CUR)  # type: ignore[attr-defined]  # io.FileIO
            return bytes(out)
        out += block


def pieces(size: int, piece_bytes: int = PIECE_BYTES) -> list[tuple[int, int]]:
    """Byte ranges of about `piece_bytes` covering a file of `size` bytes."""
    return [(s, min(s + piece_bytes, size)) for s in range(0, size, piece_bytes)] or [(0, 0)]


def _scan_piece(args: tuple[str, int, int, frozenset[str]]) -> ScanResult:
    return scan_range(*args)


def scan_file(
    path: str,
    domains: frozenset[str],
    *,
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
    piece_bytes: int = PIECE_BYTES,
) -> ScanResult:
    """Scan a file in pieces, over `workers` processes when it is large; line numbers are file-wide."""
    size = os.path.getsize(path)
    ranges = pieces(size, piece_bytes)
    total = ScanResult()
    if workers <= 1 or len(ranges) == 1:
        results: Iterator[ScanResult] = (scan_range(path, s, e, domains) for s, e in ranges)
        return _merge(results, ranges, total, progress)
    import multiprocessing

    # spawn, not fork: the caller may be a threaded job consumer holding locks and database connections.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        results = pool.imap(_scan_piece, [(path, s, e, domains) for s, e in ranges])
        return _merge(results, ranges, total, progress)


def _merge(
    results: Iterator[ScanResult],
    ranges: list[tuple[int, int]],
    total: ScanResult,
    progress: Callable[[int], None] | None,
) -> ScanResult:
    for (start, end), part in zip(ranges, results, strict=True):
        offset = total.lines
        total.lines += part.lines
        total.malformed += part.malformed
        total.bytes_read += part.bytes_read
        total.peak_rss_kb = max(total.peak_rss_kb, part.peak_rss_kb)
        room = SAMPLE_LIMIT - len(total.samples)
        total.samples.extend((offset + n, line) for n, line in part.samples[: max(room, 0)])
        total.hits.extend((offset + n, line) for n, line in part.hits)
        if progress is not None:
            progress(end - start)
    return total
