"""Where the scanner may connect: registered hosts only, resolved through an optional map, to allowed
networks.

Every connection the scanner makes (HTTP, HTTPS and the TLS probes) asks `Resolver.resolve` first, so a
host outside a site's registered domains, or an address outside the allowed networks, is refused before
any packet is sent.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from dataclasses import dataclass, field

import httpcore
import httpx

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class OutOfScope(httpcore.ConnectError):
    """A host or address the scanner may not connect to."""


@dataclass(frozen=True)
class Endpoint:
    """Where a host name is served: an address and, for test and benchmark servers, other ports."""

    address: str
    http_port: int | None = None
    https_port: int | None = None


def parse_resolve(spec: str) -> dict[str, Endpoint]:
    """`host=address[@http_port/https_port]` (or `host:address`), separated by commas or spaces."""
    mapping: dict[str, Endpoint] = {}
    for item in spec.replace(",", " ").split():
        if "=" in item:
            host, _, target = item.partition("=")
        else:
            host, _, target = item.partition(":")
        address, _, ports = target.partition("@")
        http_port, _, https_port = ports.partition("/")
        ipaddress.ip_address(address)  # refuse a malformed map at once
        mapping[host.strip().lower()] = Endpoint(
            address, int(http_port) if http_port else None, int(https_port) if https_port else None
        )
    return mapping


def parse_networks(spec: str) -> list[IpNetwork]:
    return [ipaddress.ip_network(n, strict=False) for n in spec.replace(",", " ").split()]


@dataclass
class Resolver:
    """Host → address for the scanner; `allowed` empty means public addresses only."""

    mapping: dict[str, Endpoint] = field(default_factory=dict)
    dns: bool = True
    allowed: list[IpNetwork] = field(default_factory=list)

    def endpoint(self, host: str) -> Endpoint | None:
        host = host.lower().rstrip(".")
        if host in self.mapping:
            return self.mapping[host]
        parts = host.split(".")
        for i in range(1, len(parts)):
            wildcard = "*." + ".".join(parts[i:])
            if wildcard in self.mapping:
                return self.mapping[wildcard]
        return None

    def permitted(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        if self.allowed:
            return any(ip in net for net in self.allowed)
        return ip.is_global

    async def resolve(self, host: str, port: int) -> tuple[str, int]:
        """The address and port to connect to for `host:port`; OutOfScope when that is not allowed."""
        endpoint = self.endpoint(host)
        if endpoint is not None:
            address = endpoint.address
            if port == 80 and endpoint.http_port:
                port = endpoint.http_port
            elif port == 443 and endpoint.https_port:
                port = endpoint.https_port
        elif self.dns:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
            address = str(infos[0][4][0])
        else:
            raise httpcore.ConnectError(f"cannot resolve {host}: not in the resolver map")
        if not self.permitted(address):
            raise OutOfScope(f"address {address} of {host} is outside the allowed networks")
        return address, port


class ScopedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only where the resolver allows and only to allowed hosts."""

    def __init__(self, resolver: Resolver, hosts: frozenset[str]) -> None:
        self.resolver = resolver
        self.hosts = hosts
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if host.lower() not in self.hosts:
            raise OutOfScope(f"{host} is not a registered domain of the site")
        address, real_port = await self.resolver.resolve(host, port)
        return await self.inner.connect_tcp(
            address, real_port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise OutOfScope("unix sockets are not scanned")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def unverified_context() -> ssl.SSLContext:
    """Pages are read even behind a bad certificate (the TLS checks report the certificate itself)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def make_client(
    resolver: Resolver, hosts: frozenset[str], *, timeout: float, per_host: int, user_agent: str
) -> httpx.AsyncClient:
    """An HTTP client for one site: it reaches the site's registered hosts and nothing else."""
    context = unverified_context()
    transport = httpx.AsyncHTTPTransport(verify=context)
    # httpx takes no network backend, so its pool is replaced by one that connects through the resolver.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=per_host * max(1, len(hosts)),
        max_keepalive_connections=per_host * max(1, len(hosts)),
        keepalive_expiry=10.0,
        network_backend=ScopedBackend(resolver, hosts),
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": user_agent},
        trust_env=False,
    )
