"""The scan of one site, and of many at once: transport, TLS, headers, cookies, exposed paths, a bounded
crawl with personal-data detection. No database here: the result is plain data that services record.

Whatever goes wrong on a site (unreachable, slow, huge, off-site redirect, broken certificate, HTML or
document) becomes a note with the reason; the scan of that site goes on where it can, and the other
sites are not affected.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import logging
import re
import time
import urllib.robotparser
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from qalxan.exposure import detectors
from qalxan.exposure.choices import Check, CheckGroup, NoteCode
from qalxan.exposure.scanner import documents
from qalxan.exposure.scanner.net import IpNetwork, OutOfScope, Resolver, make_client
from qalxan.exposure.scanner.tls import LEGACY, TlsReport, probe_tls

# (path, signature the body must start with or contain, severity): a 200 with a soft-404 page is not a leak.
SENSITIVE_PATHS: tuple[tuple[str, bytes, str], ...] = (
    ("/.git/HEAD", rb"^ref: refs/", "critical"),
    ("/.git/config", rb"\[core\]", "critical"),
    ("/.svn/entries", rb"^(?:\d+\s|<\?xml|dir\b)", "high"),
    ("/.hg/requires", rb"revlogv1|store", "high"),
    ("/.env", rb"(?m)^[A-Z][A-Z0-9_]*=", "critical"),
    ("/backup.zip", rb"^PK\x03\x04", "critical"),
    ("/backup.tar.gz", rb"^\x1f\x8b", "critical"),
    ("/backup.sql", rb"(?i)CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump", "critical"),
    ("/wp-config.php.bak", rb"DB_PASSWORD|DB_NAME", "critical"),
    ("/.DS_Store", rb"^\x00\x00\x00\x01Bud1", "low"),
)
LISTING_PROBES = ("/uploads/", "/files/", "/backup/")
LISTING = re.compile(r"^\s*(?:Index of /|Directory listing for /)", re.I)
VERSION = re.compile(r"\d+\.\d+")
PRIVACY_TERMS = (
    "məxfilik",
    "fərdi məlumat",
    "privacy",
    "personal data",
    "конфиденциальн",
    "персональн",
)
# A page that is itself the notice.
PRIVACY_TITLES = (
    "məxfilik siyasəti",
    "fərdi məlumatların qorunması",
    "privacy policy",
    "privacy notice",
    "политика конфиденциальности",
)
MIXED_SELECTORS = (
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("link[rel=stylesheet]", "href"),
    ("audio", "src"),
    ("video", "src"),
    ("source", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
)
HSTS_MIN_AGE = 15_552_000  # 180 days
# One line per request would drown the log (and cost more than the request) on a national scan.
logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass
class ScanConfig:
    """Limits and switches of a scan (see conf.py for the settings that fill it)."""

    resolver: Resolver = field(default_factory=Resolver)
    max_pages: int = 50
    max_depth: int = 3
    max_documents: int = 20
    host_delay: float = 0.5
    obey_robots: bool = True
    timeout: float = 10.0
    site_timeout: float = 300.0
    max_page_bytes: int = 5 * 1024 * 1024
    max_document_bytes: int = 20 * 1024 * 1024
    concurrency: int = 20
    per_host: int = 2
    ca_file: str = ""
    user_agent: str = "Qalxan-exposure/1.0"
    cert_warning_days: int = 30
    hosting_ranges: list[IpNetwork] = field(default_factory=list)
    hash_key: bytes = b""


@dataclass(frozen=True)
class SiteTarget:
    """A site to scan: its registered host names (the first is where the scan starts)."""

    site_id: int
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    code: str
    url: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "url": self.url, "detail": self.detail}


@dataclass(frozen=True)
class DataHit:
    """Personal data as it is kept: kind, masked value, keyed hash."""

    kind: str
    masked: str
    digest: str


@dataclass
class Observation:
    """One problem seen; the services turn it into a finding (or refresh the open one)."""

    check: str
    location: str
    key: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    severity: str | None = None
    data: list[DataHit] = field(default_factory=list)
    data_kind: str = ""


@dataclass
class SiteResult:
    site_id: int
    host: str = ""
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished_at: dt.datetime | None = None
    observations: list[Observation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    completed: set[str] = field(default_factory=set)
    fetched: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)
    pages: int = 0
    documents: int = 0
    requests: int = 0
    address: str | None = None
    in_azstatenet: bool | None = None
    tls: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def note(self, code: str, url: str = "", detail: str = "") -> None:
        if len(self.notes) < 200:
            self.notes.append(Note(code, url[:500], detail[:300]))

    def observe(self, observation: Observation) -> None:
        self.observations.append(observation)


@dataclass
class Fetched:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    truncated: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        charset = "utf-8"
        match = re.search(r"charset=([\w\-]+)", self.headers.get("content-type", ""), re.I)
        if match:
            charset = match.group(1)
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _normal(url: str) -> str:
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


class SiteScan:
    """The scan of one site with one HTTP client that can reach only the site's registered hosts."""

    def __init__(self, target: SiteTarget, config: ScanConfig, client: httpx.AsyncClient, result: SiteResult):
        self.target = target
        self.hosts = frozenset(h.lower() for h in target.hosts)
        self.config = config
        self.client = client
        self.result = result
        self.last_request: dict[str, float] = {}
        self.cookies: dict[str, tuple[str, list[str]]] = {}
        self.privacy_seen = False
        self.generators: set[str] = set()

    # --- requests

    async def _polite(self, host: str) -> None:
        if self.config.host_delay <= 0:
            return
        wait = self.last_request.get(host, 0.0) + self.config.host_delay - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self.last_request[host] = time.monotonic()

    def in_scope(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in {"http", "https"} and (parts.hostname or "").lower() in self.hosts

    async def fetch(
        self, url: str, *, limit: int, follow: bool = True, quiet: bool = False
    ) -> Fetched | None:
        """GET within the site, following redirects that stay on it; None (with a note) when it fails."""
        for _hop in range(6):
            if not self.in_scope(url):
                self.result.note(NoteCode.OUT_OF_SCOPE, url)
                return None
            await self._polite(_host(url))
            self.result.requests += 1
            try:
                fetched = await self._get(url, limit)
            except OutOfScope as exc:
                self.result.note(NoteCode.OUT_OF_SCOPE, url, str(exc))
                return None
            except TimeoutError:
                self.result.note(NoteCode.TIMEOUT, url)
                return None
            except httpx.TimeoutException as exc:
                self.result.note(NoteCode.TIMEOUT, url, type(exc).__name__)
                return None
            except (httpx.ConnectError, OSError) as exc:
                if not quiet:
                    self.result.note(NoteCode.UNREACHABLE, url, str(exc) or type(exc).__name__)
                return None
            except (httpx.HTTPError, ValueError, UnicodeError) as exc:
                self.result.note(NoteCode.BAD_RESPONSE, url, f"{type(exc).__name__}: {exc}")
                return None
            self._cookies(url, fetched.headers)
            if follow and fetched.status in {301, 302, 303, 307, 308} and "location" in fetched.headers:
                target = urljoin(url, fetched.headers["location"])
                if not self.in_scope(target):
                    self.result.note(NoteCode.REDIRECT_OFF_SITE, url, target[:300])
                    return None
                url = _normal(target)
                continue
            return fetched
        self.result.note(NoteCode.BAD_RESPONSE, url, "too many redirects")
        return None

    async def _get(self, url: str, limit: int) -> Fetched:
        async with asyncio.timeout(self.config.timeout * 3):
            async with self.client.stream("GET", url) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    self.result.note(NoteCode.TOO_LARGE, url, f"{declared} bytes")
                    return Fetched(url, response.status_code, response.headers, b"", truncated=True)
                chunks: list[bytes] = []
                size = 0
                truncated = False
                async for chunk in response.aiter_raw():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        truncated = True
                        self.result.note(NoteCode.TOO_LARGE, url, f"> {limit} bytes")
                        break
                body = b"".join(chunks)[:limit]
                encoding = response.headers.get("content-encoding", "").lower()
                if encoding in {"gzip", "deflate", "br"} and not truncated:
                    body = httpx.Response(200, headers={"content-encoding": encoding}, content=body).content[
                        :limit
                    ]
                return Fetched(url, response.status_code, response.headers, body, truncated)

    def _cookies(self, url: str, headers: httpx.Headers) -> None:
        secure_page = url.startswith("https://")
        for raw in headers.get_list("set-cookie"):
            name = raw.split("=", 1)[0].strip()[:100]
            attrs = {a.strip().split("=", 1)[0].lower() for a in raw.split(";")[1:]}
            missing = [
                flag
                for flag, present in (
                    ("Secure", "secure" in attrs or not secure_page),
                    ("HttpOnly", "httponly" in attrs),
                    ("SameSite", "samesite" in attrs),
                )
                if not present
            ]
            if missing and name not in self.cookies:
                self.cookies[name] = (url, missing)

    # --- the checks

    async def run(self) -> None:
        host = self.target.hosts[0].lower()
        self.result.host = host
        try:
            address, _port = await self.config.resolver.resolve(host, 443)
        except OutOfScope as exc:
            self.result.note(NoteCode.OUT_OF_SCOPE, host, str(exc))
            return
        except OSError as exc:
            self.result.note(NoteCode.UNREACHABLE, host, str(exc))
            return
        self.result.address = address
        self._hosting(host, address)

        tls_task = asyncio.create_task(self._tls(host))
        https = await self.fetch(f"https://{host}/", limit=self.config.max_page_bytes, quiet=True)
        http = await self.fetch(f"http://{host}/", limit=self.config.max_page_bytes, follow=False, quiet=True)
        tls = await tls_task
        if https is None and http is None:
            self.result.note(NoteCode.UNREACHABLE, host, "neither HTTPS nor HTTP answered")
            return
        self._transport(host, https, http)
        if https is not None:
            self._tls_findings(host, tls)
        root = https or http
        assert root is not None
        self._headers(host, root, https is not None)
        await self._paths(root.url)
        await self._crawl(root)
        self._finish(host)

    def _hosting(self, host: str, address: str) -> None:
        if not self.config.hosting_ranges:
            self.result.note(NoteCode.NO_RANGES, host)
            return
        ip = ipaddress.ip_address(address)
        inside = any(ip in net for net in self.config.hosting_ranges)
        self.result.in_azstatenet = inside
        self.result.completed.add(CheckGroup.HOSTING)
        if not inside:
            self.result.observe(Observation(Check.OUTSIDE_AZSTATENET, host, evidence={"address": address}))

    async def _tls(self, host: str) -> TlsReport | None:
        try:
            return await probe_tls(
                self.config.resolver, host, timeout=self.config.timeout, ca_file=self.config.ca_file
            )
        except OSError as exc:
            self.result.note(NoteCode.TLS_ERROR, host, str(exc))
            return None

    def _transport(self, host: str, https: Fetched | None, http: Fetched | None) -> None:
        self.result.completed.add(CheckGroup.TRANSPORT)
        if https is None:
            self.result.observe(Observation(Check.HTTPS_MISSING, host))
        if http is not None:
            location = urljoin(http.url, http.headers.get("location", ""))
            redirected = http.status in {301, 302, 303, 307, 308} and location.startswith("https://")
            if not redirected:
                self.result.observe(
                    Observation(
                        Check.HTTP_NOT_REDIRECTED, f"http://{host}/", evidence={"status": http.status}
                    )
                )

    def _tls_findings(self, host: str, tls: TlsReport | None) -> None:
        if tls is None:
            return
        if tls.error:
            self.result.note(NoteCode.TLS_ERROR, host, tls.error)
        self.result.tls = tls.as_dict()
        if tls.error and not tls.offered:
            return
        self.result.completed.add(CheckGroup.TLS)
        legacy = [v for v in tls.offered if v in LEGACY]
        if legacy:
            self.result.observe(
                Observation(
                    Check.TLS_LEGACY,
                    host,
                    evidence={"versions": legacy},
                    severity="high" if "TLSv1.0" in legacy else "medium",
                )
            )
        now = dt.datetime.now(dt.UTC)
        expired = tls.not_after is not None and tls.not_after < now
        if expired:
            assert tls.not_after is not None
            self.result.observe(
                Observation(
                    Check.CERT_EXPIRED, host, evidence={"not_after": tls.not_after.date().isoformat()}
                )
            )
        elif tls.not_after is not None and tls.not_after < now + dt.timedelta(
            days=self.config.cert_warning_days
        ):
            days = (tls.not_after - now).days
            self.result.observe(
                Observation(
                    Check.CERT_EXPIRING,
                    host,
                    evidence={"not_after": tls.not_after.date().isoformat(), "days": days},
                    severity="medium" if days < 7 else "low",
                )
            )
        if tls.hostname_ok is False:
            self.result.observe(Observation(Check.CERT_HOSTNAME, host, evidence={"names": tls.names[:10]}))
        if tls.trusted is False and not (expired and "expired" in tls.verify_error):
            self.result.observe(
                Observation(
                    Check.CERT_UNTRUSTED, host, evidence={"reason": tls.verify_error, "issuer": tls.issuer}
                )
            )

    def _headers(self, host: str, root: Fetched, secure: bool) -> None:
        h = root.headers
        self.result.headers = {k: v[:300] for k, v in h.items() if k.lower() != "set-cookie"}
        self.result.completed.add(CheckGroup.HEADERS)
        if secure:
            hsts = h.get("strict-transport-security", "")
            match = re.search(r"max-age=\"?(\d+)", hsts, re.I)
            if not hsts or match is None or int(match.group(1)) < HSTS_MIN_AGE:
                self.result.observe(Observation(Check.HSTS_MISSING, host, evidence={"value": hsts[:200]}))
        csp = h.get("content-security-policy", "")
        if not csp:
            self.result.observe(Observation(Check.CSP_MISSING, host))
        if h.get("x-content-type-options", "").strip().lower() != "nosniff":
            self.result.observe(Observation(Check.XCTO_MISSING, host))
        if not h.get("x-frame-options") and "frame-ancestors" not in csp.lower():
            self.result.observe(Observation(Check.FRAME_MISSING, host))
        if not h.get("referrer-policy"):
            self.result.observe(Observation(Check.REFERRER_MISSING, host))
        if not h.get("permissions-policy"):
            self.result.observe(Observation(Check.PERMISSIONS_MISSING, host))
        for name in ("server", "x-powered-by", "x-aspnet-version", "x-generator"):
            value = h.get(name, "")
            if value and VERSION.search(value):
                self.result.observe(
                    Observation(
                        Check.VERSION_DISCLOSURE,
                        host,
                        key=name,
                        evidence={"header": name, "value": value[:120]},
                    )
                )

    async def _paths(self, base: str) -> None:
        for path, signature, severity in SENSITIVE_PATHS:
            url = urljoin(base, path)
            fetched = await self.fetch(url, limit=8192, follow=False, quiet=True)
            if fetched is not None and fetched.status == 200 and re.search(signature, fetched.body[:8192]):
                self.result.observe(Observation(Check.SENSITIVE_PATH, url, key=path, severity=severity))
        for path in LISTING_PROBES:
            url = urljoin(base, path)
            fetched = await self.fetch(url, limit=65536, follow=False, quiet=True)
            if fetched is not None and fetched.status == 200 and "html" in fetched.content_type:
                self._listing(url, HTMLParser(fetched.text()))
        self.result.completed.add(CheckGroup.PATHS)

    def _listing(self, url: str, tree: HTMLParser) -> bool:
        title = tree.css_first("title")
        heading = tree.css_first("h1")
        text = (title.text() if title else "") or (heading.text() if heading else "")
        if LISTING.search(text):
            self.result.observe(Observation(Check.DIRECTORY_LISTING, url, key=urlsplit(url).path))
            return True
        return False

    async def _robots(self, base: str) -> urllib.robotparser.RobotFileParser | None:
        if not self.config.obey_robots:
            return None
        fetched = await self.fetch(urljoin(base, "/robots.txt"), limit=262144, quiet=True)
        parser = urllib.robotparser.RobotFileParser()
        if fetched is None or fetched.status >= 400:
            parser.parse([])
        else:
            parser.parse(fetched.text().splitlines())
        return parser

    async def _crawl(self, root: Fetched) -> None:
        robots = await self._robots(root.url)
        seen = {_normal(root.url)}
        queue: list[tuple[str, int, Fetched | None]] = [(_normal(root.url), 0, root)]
        documents_read = 0
        while queue:
            url, depth, prefetched = queue.pop(0)
            if self.result.pages >= self.config.max_pages:
                self.result.note(NoteCode.LIMIT, url, f"{self.config.max_pages} pages")
                break
            if (
                robots is not None
                and prefetched is None
                and not robots.can_fetch(self.config.user_agent, url)
            ):
                self.result.note(NoteCode.ROBOTS, url)
                continue
            kind = documents.kind_of(urlsplit(url).path)
            if kind is not None and documents_read >= self.config.max_documents:
                continue
            limit = self.config.max_document_bytes if kind else self.config.max_page_bytes
            fetched = prefetched or await self.fetch(url, limit=limit)
            if fetched is None:
                continue
            if fetched.status in {404, 410}:
                self.result.gone.add(url)
                continue
            if fetched.status >= 400:
                continue
            kind = documents.kind_of(urlsplit(fetched.url).path, fetched.content_type)
            if kind is not None:
                documents_read += 1
                self.result.documents += 1
                self.result.fetched.add(url)
                if fetched.truncated:
                    continue
                try:
                    text = await asyncio.to_thread(documents.extract_text, kind, fetched.body)
                except documents.DocumentError as exc:
                    self.result.note(NoteCode.BAD_DOCUMENT, url, str(exc))
                    continue
                self._personal_data(url, text)
                continue
            if "html" not in fetched.content_type and fetched.content_type not in {"", "text/plain"}:
                continue
            self.result.pages += 1
            self.result.fetched.add(url)
            links = self._page(url, fetched)
            if depth >= self.config.max_depth:
                continue
            for link in links:
                if link not in seen and self.in_scope(link):
                    seen.add(link)
                    queue.append((link, depth + 1, None))
        self.result.completed.add(CheckGroup.CONTENT)
        self.result.completed.add(CheckGroup.PERSONAL_DATA)

    def _page(self, url: str, fetched: Fetched) -> list[str]:
        """Checks of one HTML page; returns its links."""
        text = fetched.text()
        tree = HTMLParser(text)
        links: list[str] = []
        for node in tree.css("a[href]"):
            href = (node.attributes.get("href") or "").strip()
            if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
                continue
            absolute = _normal(urljoin(fetched.url, href))
            links.append(absolute)
            label = f"{href} {node.text(deep=True)}".lower()
            if any(term in label for term in PRIVACY_TERMS):
                self.privacy_seen = True
        if fetched.url.startswith("https://"):
            insecure = []
            for selector, attribute in MIXED_SELECTORS:
                for node in tree.css(selector):
                    value = (node.attributes.get(attribute) or "").strip()
                    if value.lower().startswith("http://"):
                        insecure.append(value[:200])
            if insecure:
                self.result.observe(
                    Observation(Check.MIXED_CONTENT, url, evidence={"resources": sorted(set(insecure))[:10]})
                )
        for meta in tree.css("meta[name=generator]"):
            content = (meta.attributes.get("content") or "").strip()
            if content and VERSION.search(content) and content not in self.generators:
                self.generators.add(content)
                self.result.observe(
                    Observation(
                        Check.VERSION_DISCLOSURE,
                        self.result.host,
                        key="generator",
                        evidence={"header": "generator", "value": content[:120]},
                    )
                )
        self._listing(url, tree)
        body = tree.body
        for junk in tree.css("script, style, noscript"):
            junk.decompose()
        page_text = body.text(separator=" ") if body is not None else text
        if not self.privacy_seen:
            lowered = page_text[:50000].lower()
            self.privacy_seen = any(title in lowered for title in PRIVACY_TITLES)
        self._personal_data(url, page_text)
        return links

    def _personal_data(self, url: str, text: str) -> None:
        by_kind: dict[str, list[DataHit]] = {}
        seen: set[tuple[str, str]] = set()
        for hit in detectors.detect(text):
            digest = hit.digest(self.config.hash_key)
            if (hit.kind, digest) in seen:
                continue
            seen.add((hit.kind, digest))
            by_kind.setdefault(hit.kind, []).append(DataHit(hit.kind, hit.masked(), digest))
        for kind, hits in by_kind.items():
            self.result.observe(
                Observation(
                    Check.PERSONAL_DATA,
                    url,
                    key=kind,
                    data_kind=kind,
                    evidence={"count": len(hits)},
                    data=hits,
                )
            )

    def _finish(self, host: str) -> None:
        for name, (_url, missing) in sorted(self.cookies.items()):
            self.result.observe(
                Observation(Check.COOKIE_FLAGS, host, key=name, evidence={"cookie": name, "missing": missing})
            )
        if CheckGroup.CONTENT in self.result.completed and not self.privacy_seen:
            self.result.observe(Observation(Check.PRIVACY_NOTICE_MISSING, host))


async def scan_site(target: SiteTarget, config: ScanConfig) -> SiteResult:
    """Scan one site; never raises (what failed is in the notes)."""
    result = SiteResult(site_id=target.site_id)
    if not target.hosts:
        result.note(NoteCode.NO_DOMAIN)
        result.finished_at = dt.datetime.now(dt.UTC)
        return result
    client = make_client(
        config.resolver,
        frozenset(h.lower() for h in target.hosts),
        timeout=config.timeout,
        per_host=config.per_host,
        user_agent=config.user_agent,
    )
    try:
        async with asyncio.timeout(config.site_timeout):
            async with client:
                await SiteScan(target, config, client, result).run()
    except TimeoutError:
        result.note(NoteCode.TIMEOUT, target.hosts[0], f"site not done within {config.site_timeout:.0f} s")
    except Exception as exc:  # one broken site must not stop the others; the reason is kept
        result.note(NoteCode.ERROR, target.hosts[0], f"{type(exc).__name__}: {exc}")
    result.finished_at = dt.datetime.now(dt.UTC)
    return result


async def scan_many(targets: Iterable[SiteTarget], config: ScanConfig) -> list[SiteResult]:
    """Scan sites side by side, at most `config.concurrency` at a time."""
    gate = asyncio.Semaphore(max(1, config.concurrency))

    async def one(target: SiteTarget) -> SiteResult:
        async with gate:
            return await scan_site(target, config)

    return list(await asyncio.gather(*(one(t) for t in targets)))


def run(targets: list[SiteTarget], config: ScanConfig) -> list[SiteResult]:
    """Scan from synchronous code (a job, the command line); in a thread of its own when this thread
    already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(scan_many(targets, config))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scan_many(targets, config)).result()
