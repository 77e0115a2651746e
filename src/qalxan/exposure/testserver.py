"""Loopback web servers with planted problems, for the scanner's tests, benchmarks and demo.

One asyncio server answers for many sites by the Host header (HTTP) and by SNI (HTTPS, a certificate
per site from a certificate authority made on the spot with trustme): a valid certificate, an expired
one, one for another host name, and a listener that still speaks TLS 1.0. It binds to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
import tempfile
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from qalxan.exposure.scanner.net import Endpoint

LOOPBACK = "127.0.0.1"


@dataclass
class Page:
    """One response: status, headers and body; `delay` before answering; `endless` keeps sending."""

    body: bytes | str = b""
    status: int = 200
    headers: list[tuple[str, str]] = field(
        default_factory=lambda: [("Content-Type", "text/html; charset=utf-8")]
    )
    delay: float = 0.0
    endless: bool = False

    def payload(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else self.body


@dataclass
class TestSite:
    """A site as served: its pages by path, how HTTPS is offered, and what plain HTTP does."""

    host: str
    pages: dict[str, Page] = field(default_factory=dict)
    certificate: str = "valid"  # valid | expired | wrong_host | none (no HTTPS)
    legacy_tls: bool = False  # served by the listener that also speaks TLS 1.0 and 1.1
    http: str = "redirect"  # redirect | serve | none
    redirect_to: str = ""  # Location of the HTTP redirect (default: https://host/)


class LoopbackServer:
    """Serve `sites` on 127.0.0.1; `endpoints()` gives the scanner's resolver map."""

    def __init__(self, sites: list[TestSite]) -> None:
        self.sites = {s.host.lower(): s for s in sites}
        self.ca = trustme.CA()
        self.folder = Path(tempfile.mkdtemp(prefix="qalxan-exposure-ca-"))
        self.ca_file = str(self.folder / "ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        self.ports: dict[str, int] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.servers: list[asyncio.Server] = []
        self._contexts: dict[tuple[str, bool], ssl.SSLContext] = {}
        self.requests = 0

    # --- TLS

    def _context(self, site: TestSite | None, legacy: bool) -> ssl.SSLContext:
        kind = site.certificate if site else "valid"
        host = site.host if site else "localhost"
        key = (f"{kind}:{host}", legacy)
        if key in self._contexts:
            return self._contexts[key]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if legacy:
            context.set_ciphers("ALL:@SECLEVEL=0")
            with warnings.catch_warnings():  # a legacy site offers the deprecated versions on purpose
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = ssl.TLSVersion.TLSv1
        now = dt.datetime.now(dt.UTC)
        if kind == "expired":
            cert = self.ca.issue_cert(
                host, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=5)
            )
        elif kind == "wrong_host":
            cert = self.ca.issue_cert("another-host.example")
        else:
            cert = self.ca.issue_cert(host)
        cert.configure_cert(context)
        self._contexts[key] = context
        return context

    def _listener_context(self, legacy: bool) -> ssl.SSLContext:
        base = self._context(None, legacy)

        def choose(ssl_object: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
            site = self.sites.get((name or "").lower())
            if site is not None and site.certificate != "none":
                ssl_object.context = self._context(site, legacy)

        base.sni_callback = choose
        return base

    # --- HTTP

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, secure: bool) -> None:
        try:
            while True:
                try:
                    async with asyncio.timeout(15):  # no extra task per request, unlike wait_for
                        head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                    return
                self.requests += 1
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ")
                path = parts[1] if len(parts) > 1 else "/"
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                host = headers.get("host", "").split(":")[0].lower()
                if not await self._respond(writer, self.sites.get(host), path.split("?")[0], secure):
                    return
        except (ConnectionError, ssl.SSLError, OSError):
            return
        finally:
            writer.close()

    async def _respond(
        self, writer: asyncio.StreamWriter, site: TestSite | None, path: str, secure: bool
    ) -> bool:
        if site is None:
            page = Page("unknown host", status=421, headers=[("Content-Type", "text/plain")])
        elif not secure and site.http == "redirect":
            location = site.redirect_to or f"https://{site.host}{path}"
            page = Page(b"", status=301, headers=[("Location", location)])
        else:
            page = site.pages.get(path) or Page(
                "<html><body><h1>Səhifə tapılmadı</h1></body></html>", status=404
            )
        if page.delay:
            await asyncio.sleep(page.delay)
        reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}.get(
            page.status, "Status"
        )
        head = [f"HTTP/1.1 {page.status} {reason}"] + [f"{k}: {v}" for k, v in page.headers]
        if page.endless:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
            chunk = b"<p>" + b"x" * 16384 + b"</p>\n"
            while True:  # until the client hangs up
                writer.write(chunk)
                await writer.drain()
                await asyncio.sleep(0.001)
        body = page.payload()
        head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        return True

    # --- life cycle

    async def _start(self) -> None:
        for name, secure, legacy in (("http", False, False), ("https", True, False), ("legacy", True, True)):
            context = self._listener_context(legacy) if secure else None

            def handler(
                r: asyncio.StreamReader, w: asyncio.StreamWriter, s: bool = secure
            ) -> asyncio.Task[None]:
                return asyncio.ensure_future(self._handle(r, w, s))

            server = await asyncio.start_server(handler, LOOPBACK, 0, ssl=context, backlog=1024)
            self.servers.append(server)
            self.ports[name] = server.sockets[0].getsockname()[1]

    def start(self) -> LoopbackServer:
        """Start serving in a background thread."""
        ready = threading.Event()

        def main() -> None:
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self._start())
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=main, name="exposure-test-server", daemon=True)
        self.thread.start()
        ready.wait(20)
        return self

    def serve_forever(self, on_ready: Callable[[LoopbackServer], None] | None = None) -> None:
        """Serve in this thread (a benchmark's server process)."""
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        if on_ready is not None:
            on_ready(self)
        self.loop.run_forever()

    def stop(self) -> None:
        if self.loop is None or self.thread is None:
            return
        loop = self.loop

        async def close() -> None:
            for server in self.servers:
                server.close()
            current = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks(loop) if t is not current]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            loop.stop()

        asyncio.run_coroutine_threadsafe(close(), loop)
        self.thread.join(10)
        loop.close()

    def endpoint(self, site: TestSite) -> Endpoint:
        https = None if site.certificate == "none" else self.ports["legacy" if site.legacy_tls else "https"]
        http = self.ports["http"] if site.http != "none" else _closed_port()
        return Endpoint(LOOPBACK, http, https or _closed_port())

    def endpoints(self) -> dict[str, Endpoint]:
        return {host: self.endpoint(site) for host, site in self.sites.items()}

    def resolve_setting(self) -> str:
        """The map as QALXAN_EXPOSURE_RESOLVE reads it."""
        return " ".join(f"{h}={e.address}@{e.http_port}/{e.https_port}" for h, e in self.endpoints().items())


_CLOSED: list[int] = []


def _closed_port() -> int:
    """A loopback port on which nothing listens (bound once, never listened on, so it stays refused)."""
    import socket

    if not _CLOSED:
        sock = socket.socket()
        sock.bind((LOOPBACK, 0))
        _CLOSED.append(sock.getsockname()[1])
        _KEEP.append(sock)
    return _CLOSED[0]


_KEEP: list[object] = []
