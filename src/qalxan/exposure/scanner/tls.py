"""TLS checks of one host: the protocol versions offered, and the certificate (trust, host name, expiry)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ssl
import warnings
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

from qalxan.exposure.scanner.net import Resolver

VERSIONS = {
    "TLSv1.0": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}
LEGACY = ("TLSv1.0", "TLSv1.1")


@dataclass
class TlsReport:
    """What the handshakes showed; `error` is set when no handshake succeeded at all."""

    offered: list[str] = field(default_factory=list)
    trusted: bool | None = None
    verify_error: str = ""
    hostname_ok: bool | None = None
    not_after: dt.datetime | None = None
    subject: str = ""
    issuer: str = ""
    names: list[str] = field(default_factory=list)
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "offered": self.offered,
            "trusted": self.trusted,
            "verify_error": self.verify_error,
            "hostname_ok": self.hostname_ok,
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "subject": self.subject,
            "issuer": self.issuer,
            "names": self.names,
        }


def _probe_context(version: ssl.TLSVersion | None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if version is not None:
        # Old protocol versions need the old cipher suites, which OpenSSL's default security level hides.
        if version < ssl.TLSVersion.TLSv1_2:
            context.set_ciphers("ALL:@SECLEVEL=0")
        with warnings.catch_warnings():  # offering the deprecated versions is what the probe is for
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = version
            context.maximum_version = version
    return context


async def _handshake(
    address: str, port: int, host: str, context: ssl.SSLContext, timeout: float
) -> ssl.SSLObject:
    _reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            address, port, ssl=context, server_hostname=host, ssl_handshake_timeout=timeout
        ),
        timeout,
    )
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        assert ssl_object is not None
        return ssl_object
    finally:
        writer.close()
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            await asyncio.wait_for(writer.wait_closed(), 1.0)


def _name(value: x509.Name) -> str:
    attrs = value.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else value.rfc4514_string()


def host_matches(host: str, names: list[str]) -> bool:
    host = host.lower().rstrip(".")
    for name in names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and host.count(".") == name.count(".") and host.endswith(name[1:]):
            return True
    return False


def _read_certificate(report: TlsReport, der: bytes, host: str) -> None:
    cert = x509.load_der_x509_certificate(der)
    report.not_after = cert.not_valid_after_utc
    report.subject = _name(cert.subject)
    report.issuer = _name(cert.issuer)
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
        report.names = [str(n) for n in san.get_values_for_type(x509.DNSName)]  # type: ignore[attr-defined]  # SubjectAlternativeName
    except x509.ExtensionNotFound:
        report.names = [report.subject]
    report.hostname_ok = host_matches(host, report.names)


async def probe_tls(resolver: Resolver, host: str, *, timeout: float, ca_file: str = "") -> TlsReport:
    """Handshake with each protocol version, then once verifying the chain against the CA bundle."""
    report = TlsReport()
    address, port = await resolver.resolve(host, 443)
    verify = ssl.create_default_context(cafile=ca_file or None)
    verify.check_hostname = False  # the host name is checked separately, to tell the two failures apart
    try:
        # A trusted certificate needs one handshake for both verdict and certificate.
        ssl_object = await _handshake(address, port, host, verify, timeout)
        report.trusted = True
    except ssl.SSLCertVerificationError as exc:
        report.trusted = False
        report.verify_error = str(exc.verify_message or exc)[:200]
        try:
            ssl_object = await _handshake(address, port, host, _probe_context(None), timeout)
        except (OSError, TimeoutError, ssl.SSLError) as inner:
            report.error = f"{type(inner).__name__}: {inner}"[:300]
            return report
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        report.error = f"{type(exc).__name__}: {exc}"[:300]
        return report
    negotiated = ssl_object.version() or ""
    der = ssl_object.getpeercert(binary_form=True)
    if der:
        try:
            _read_certificate(report, der, host)
        except ValueError as exc:
            report.error = f"malformed certificate: {exc}"[:300]
    offered = {negotiated} if negotiated in VERSIONS else set()
    # The default handshake picks the highest version the server offers; below it only the legacy
    # versions matter (each probe is a full handshake, and a national scan makes thousands).
    for name, version in VERSIONS.items():
        if name in offered or name not in LEGACY:
            continue
        try:
            await _handshake(address, port, host, _probe_context(version), timeout)
            offered.add(name)
        except (OSError, TimeoutError, ssl.SSLError, ValueError):
            pass
    report.offered = [v for v in VERSIONS if v in offered]
    return report
