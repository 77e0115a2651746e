"""Indicator values: refanging, extraction from free text, normalisation and kind detection.

The same thing must be stored once, so every value goes through `normalise()`: domains lower-case,
without trailing dots and IDN in punycode; IPv6 in canonical compressed form (IPv4-mapped addresses
become IPv4); CIDR ranges reduced to their network (a /32 or /128 is an address); URLs with a lower-case
scheme and host, no default port, no fragment, no credentials, `/` for an empty path and percent-escapes
in one form; e-mail addresses and hashes lower-case; file names without their folder, lower-case
(Windows file names do not depend on case).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import idna

from qalxan.intel.choices import IndicatorKind

K = IndicatorKind


class InvalidValue(ValueError):
    """A value that is not a valid indicator of its kind."""


@dataclass(frozen=True)
class Value:
    kind: str
    value: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.value)


# --- refanging -------------------------------------------------------------------------------------

_REFANG = [
    (re.compile(r"\bhxxp(s?)(?=(?:\[?:\]?)?//|\[://\])", re.I), r"http\1"),
    (re.compile(r"\bfxp(?=(?:\[?:\]?)?//|\[://\])", re.I), "ftp"),
    (re.compile(r"\[://\]"), "://"),
    (re.compile(r"\[:\]"), ":"),
    (re.compile(r"\s*(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\})\s*", re.I), "."),
    (re.compile(r"\s*(?:\[@\]|\(@\)|\[at\]|\(at\)|\{at\})\s*", re.I), "@"),
    (re.compile(r"\[/\]"), "/"),
]


def refang(text: str) -> str:
    """Undo the usual defanging (`hxxp://evil[.]az`, `user[at]mail(.)az`, `1.2.3[.]4`)."""
    for pattern, replacement in _REFANG:
        text = pattern.sub(replacement, text)
    return text


# --- normalisation ---------------------------------------------------------------------------------

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_HEX = re.compile(r"^[0-9a-f]+$")
_HASH_LENGTHS = {32: K.MD5, 40: K.SHA1, 64: K.SHA256}
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
_URL_SCHEMES = frozenset({"http", "https", "ftp"})
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def normalise_domain(value: str) -> str:
    text = value.strip().rstrip(".").lower()
    if not text or len(text) > 253 * 4:
        raise InvalidValue("empty or too long domain")
    if not text.isascii():
        try:
            text = idna.encode(text, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise InvalidValue(f"not a valid internationalised domain: {exc}") from exc
    labels = text.split(".")
    if len(text) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidValue("not a valid domain name")
    if labels[-1].isdigit():
        raise InvalidValue("a domain's top-level label is not a number")
    return text


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    text = text.split("%", 1)[0]  # an IPv6 zone (fe80::1%eth0) names a local interface, not the address
    try:
        address = ipaddress.ip_address(text)
    except ValueError as exc:
        raise InvalidValue("not a valid IP address") from exc
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def normalise_ip(value: str) -> Value:
    address = _address(value)
    return Value(K.IPV4 if address.version == 4 else K.IPV6, address.compressed)


def normalise_cidr(value: str) -> Value:
    text = value.strip()
    if "/" not in text:
        return normalise_ip(text)
    try:
        network = ipaddress.ip_network(text.split("%", 1)[0], strict=False)
    except ValueError as exc:
        raise InvalidValue("not a valid IP range") from exc
    if isinstance(network, ipaddress.IPv6Network) and network.prefixlen >= 96:
        mapped = network.network_address.ipv4_mapped
        if mapped is not None:
            network = ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}", strict=False)
    if network.num_addresses == 1:
        return normalise_ip(str(network.network_address))
    return Value(K.CIDR, network.with_prefixlen)


def _normalise_escapes(part: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(fix, part)


def normalise_url(value: str) -> str:
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidValue("not a valid URL") from exc
    scheme = parts.scheme.lower()
    if scheme not in _URL_SCHEMES or not parts.hostname:
        raise InvalidValue("a URL needs an http, https or ftp scheme and a host")
    host = parts.hostname.rstrip(".")
    try:
        address = _address(host)
        host = f"[{address.compressed}]" if address.version == 6 else address.compressed
    except InvalidValue:
        host = normalise_domain(host)
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = _normalise_escapes(parts.path) or "/"
    query = _normalise_escapes(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def normalise_email(value: str) -> str:
    text = value.strip()
    local, sep, domain = text.rpartition("@")
    if not sep or not local or len(local) > 64 or any(c.isspace() for c in local):
        raise InvalidValue("not a valid e-mail address")
    return f"{local.lower()}@{normalise_domain(domain)}"


def normalise_filename(value: str) -> str:
    name = re.split(r"[\\/]", value.strip())[-1].strip().lower()
    if not name or len(name) > 255 or name in {".", ".."}:
        raise InvalidValue("not a valid file name")
    return name


def normalise_hash(kind: str, value: str) -> str:
    text = value.strip().lower()
    if not _HEX.match(text) or _HASH_LENGTHS.get(len(text)) != kind:
        raise InvalidValue("not a valid hash of this kind")
    return text


def normalise(kind: str, value: str) -> Value:
    """The canonical form of `value` as an indicator of `kind` (the kind may change: a /32 is an address)."""
    value = refang(value)
    if kind in (K.IPV4, K.IPV6):
        result = normalise_ip(value)
        if result.kind != kind and not (kind == K.IPV6 and result.kind == K.IPV4):
            raise InvalidValue("not an address of this IP version")
        return result
    if kind == K.CIDR:
        return normalise_cidr(value)
    if kind == K.DOMAIN:
        return Value(K.DOMAIN, normalise_domain(value))
    if kind == K.URL:
        return Value(K.URL, normalise_url(value))
    if kind == K.EMAIL:
        return Value(K.EMAIL, normalise_email(value))
    if kind == K.FILENAME:
        return Value(K.FILENAME, normalise_filename(value))
    if kind in (K.MD5, K.SHA1, K.SHA256):
        return Value(kind, normalise_hash(kind, value))
    raise InvalidValue(f"unknown indicator kind {kind!r}")


FILE_EXTENSIONS = frozenset(
    [
        "exe",
        "dll",
        "scr",
        "sys",
        "bat",
        "cmd",
        "ps1",
        "psm1",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "hta",
        "lnk",
        "jar",
        "msi",
        "msp",
        "cpl",
        "iso",
        "img",
        "vhd",
        "doc",
        "docm",
        "docx",
        "dot",
        "dotm",
        "xls",
        "xlsm",
        "xlsb",
        "xlsx",
        "ppt",
        "pptm",
        "pptx",
        "rtf",
        "pdf",
        "zip",
        "rar",
        "7z",
        "gz",
        "tgz",
        "cab",
        "apk",
        "elf",
        "sh",
        "py",
        "bin",
        "dat",
        "tmp",
    ]
)


def detect(value: str) -> Value:
    """Guess the kind of a single value and normalise it."""
    text = refang(value).strip()
    if not text:
        raise InvalidValue("empty value")
    low = text.lower()
    if _HEX.match(low) and len(low) in _HASH_LENGTHS:
        return Value(_HASH_LENGTHS[len(low)], low)
    if "://" in text:
        return Value(K.URL, normalise_url(text))
    if "@" in text and "/" not in text:
        return Value(K.EMAIL, normalise_email(text))
    try:
        return normalise_cidr(text)
    except InvalidValue:
        pass
    if "\\" in text or "/" in text:
        return Value(K.FILENAME, normalise_filename(text))
    extension = low.rsplit(".", 1)[-1] if "." in low else ""
    if extension in FILE_EXTENSIONS:
        return Value(K.FILENAME, normalise_filename(text))
    return Value(K.DOMAIN, normalise_domain(text))


# --- extraction from free text ---------------------------------------------------------------------

_URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`]+", re.I)
_EMAIL_RE = re.compile(r"[\w.%+-]+@(?:[\w-]+\.)+[\w-]{2,63}", re.UNICODE)
_IPV4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w.]*\w)")
_IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?:/\d{1,3})?(?![\w:])")
_HASH_RE = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{32})(?![0-9A-Fa-f])")
_FILE_RE = re.compile(
    r"(?<![\w.-])[\w()-][\w.()-]{0,200}\.(?:" + "|".join(sorted(FILE_EXTENSIONS)) + r")(?![\w.-])", re.I
)
_DOMAIN_RE = re.compile(
    r"(?<![\w@.-])(?:[\w](?:[\w-]{0,61}[\w])?\.)+(?:[^\W\d_]{2,63}|xn--[\w-]{2,59})\.?(?![\w-])"
)
_TRAILING = ".,;:!?)]}>'\""


@dataclass(frozen=True)
class Extraction:
    values: list[Value]
    rejected: list[str]


def extract(text: str) -> Extraction:
    """Every indicator in a pasted text (refanged first), each once, in order of appearance."""
    text = refang(text)
    found: list[tuple[int, Value]] = []
    rejected: list[str] = []
    taken = [False] * len(text)

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(start: int, end: int) -> None:
        for i in range(start, end):
            taken[i] = True

    def scan(pattern: re.Pattern[str], make: object) -> None:
        for match in pattern.finditer(text):
            raw = match.group(0)
            stripped = raw.rstrip(_TRAILING) if pattern is not _HASH_RE else raw
            if pattern is _URL_RE and raw.endswith(")") and "(" in raw:
                stripped = raw.rstrip(_TRAILING.replace(")", "")) or stripped
            start, end = match.start(), match.start() + len(stripped)
            if not stripped or not free(start, end):
                continue
            try:
                value = make(stripped)  # type: ignore[operator]  # one of the normalisers below
            except InvalidValue:
                if pattern in (_URL_RE, _EMAIL_RE):
                    rejected.append(stripped)
                continue
            take(start, end)
            found.append((start, value))

    scan(_URL_RE, lambda s: Value(K.URL, normalise_url(s)))
    scan(_EMAIL_RE, lambda s: Value(K.EMAIL, normalise_email(s)))
    scan(_HASH_RE, lambda s: Value(_HASH_LENGTHS[len(s)], s.lower()))
    scan(_IPV4_RE, normalise_cidr)
    scan(_IPV6_RE, lambda s: normalise_cidr(s) if s.count(":") >= 2 else normalise_ip(""))
    scan(_FILE_RE, lambda s: Value(K.FILENAME, normalise_filename(s.strip())))
    scan(_DOMAIN_RE, lambda s: Value(K.DOMAIN, normalise_domain(s)))
    seen: set[tuple[str, str]] = set()
    values: list[Value] = []
    for _start, value in sorted(found, key=lambda item: item[0]):
        if value.key not in seen:
            seen.add(value.key)
            values.append(value)
    return Extraction(values, rejected)


# --- helpers for matching --------------------------------------------------------------------------


def parent_domains(domain: str) -> list[str]:
    """`a.b.evil.az` → [`a.b.evil.az`, `b.evil.az`, `evil.az`, `az`]."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def ip_bounds(kind: str, value: str) -> tuple[int, int, int] | None:
    """(version, first, last) of an address or range as integers, else None."""
    if kind in (K.IPV4, K.IPV6):
        address = ipaddress.ip_address(value)
        return address.version, int(address), int(address)
    if kind == K.CIDR:
        network = ipaddress.ip_network(value)
        return network.version, int(network.network_address), int(network.broadcast_address)
    return None


def hex_bound(number: int) -> str:
    """A fixed-width hexadecimal form, so that text order is numeric order (indexable range queries)."""
    return f"{number:032x}"


def host_of(value: Value) -> str | None:
    """The domain an indicator lives under (a domain itself, a URL's or an e-mail address's host)."""
    if value.kind == K.DOMAIN:
        return value.value
    if value.kind == K.EMAIL:
        return value.value.rpartition("@")[2]
    if value.kind == K.URL:
        host = urlsplit(value.value).hostname or ""
        return host if host and not host[0].isdigit() and ":" not in host else None
    return None
