"""Reading leak records: decoding, combination-list lines, stealer-log folders, CSV dumps; masking and
strength.

Functions here see clear-text passwords only to hash and classify them; they never log or keep them.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

ENCODINGS = ("utf-8", "cp1251", "latin-1")


def decode(raw: bytes) -> tuple[str, str]:
    """Text of a line and the encoding it was in: UTF-8, else CP1251 when it reads as Cyrillic, else Latin-1.

    Cyrillic text in CP1251 comes in runs of high bytes (whole words); Latin-1 text has accented letters
    here and there between ASCII ones. So CP1251 is chosen when most high bytes have a high neighbour.
    """
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = [i for i, b in enumerate(raw) if b >= 0xC0]
    if high:
        positions = set(high)
        paired = sum(1 for i in high if i - 1 in positions or i + 1 in positions)
        if paired * 2 >= len(high):
            return raw.decode("cp1251", "replace"), "cp1251"
    return raw.decode("latin-1"), "latin-1"


def keyed_hash(key: bytes, value: str) -> str:
    """HMAC-SHA-256 of the NFC form of `value` (so the same password hashes alike whatever the file's
    encoding)."""
    return hmac.new(key, unicodedata.normalize("NFC", value).encode("utf-8"), hashlib.sha256).hexdigest()


def normalise_login(login: str) -> str:
    return login.strip().lower()


def mask_login(login: str) -> str:
    """a.aliyev@mod.gov.az → a•••••v@mod.gov.az; a user name keeps its first and last character."""
    local, at, domain = login.partition("@")
    if len(local) <= 2:
        masked = local[:1] + "•" * max(len(local) - 1, 1)
    else:
        masked = local[0] + "•" * (len(local) - 2) + local[-1]
    return f"{masked}{at}{domain}"[:200]


def strength(password: str) -> str:
    """weak / medium / strong from length and character classes (a coarse class, nothing more is kept)."""
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) < 8 or classes <= 1 or password.lower() in COMMON:
        return "weak"
    if len(password) >= 12 and classes >= 3:
        return "strong"
    return "medium"


COMMON = frozenset(
    [
        "123456",
        "12345678",
        "123456789",
        "password",
        "qwerty",
        "111111",
        "1234567890",
        "password1",
        "qwerty123",
        "abc123",
        "iloveyou",
        "admin123",
        "welcome",
        "1q2w3e4r",
        "azerbaijan",
        "baku2024",
        "parol123",
    ]
)


@dataclass(frozen=True)
class Credential:
    """One record of a leak: where the login was used, the login and the password (clear, short-lived)."""

    url: str
    login: str
    password: str = field(repr=False)
    location: str = ""
    victim: str = ""  # key of the stealer-log victim it came from


URL_LINE = re.compile(
    r"^(?P<url>[a-z][a-z0-9+.\-]*://[^\s|;]*?)[:;| ](?P<login>[^:;|\s/]+)[:;|](?P<password>.*)$", re.I
)
EMAIL_LINE = re.compile(r"^(?P<login>[^\s:;|]+@[^\s:;|]+)[:;|](?P<password>.*)$")
PLAIN_LINE = re.compile(r"^(?P<login>[^:;|]+)[:;|](?P<password>.*)$")


def parse_combo_line(text: str) -> tuple[str, str, str] | None:
    """(url, login, password) of a combination-list line, or None when it has no login and password."""
    text = text.rstrip("\r\n")
    for pattern in (URL_LINE, EMAIL_LINE, PLAIN_LINE):
        m = pattern.match(text)
        if m:
            login, password = m.group("login").strip(), m.group("password")
            if not login or not password:
                return None
            return (m.groupdict().get("url") or "", login, password)
    return None


def host_of(url: str) -> str:
    """The host of a URL, lower-case, without port or credentials."""
    if not url:
        return ""
    rest = url.split("://", 1)[-1]
    rest = re.split(r"[/?#]", rest, maxsplit=1)[0]
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest.split("]", 1)[0].strip("[]").lower()
    return rest.split(":", 1)[0].strip(".").lower()


# --- Stealer logs -------------------------------------------------------------------------------------------

PASSWORD_FILES = re.compile(r"(^|/)(all ?passwords|passwords|_allpasswords_list)\.txt$", re.I)
SYSTEM_FILES = re.compile(r"(^|/)(system|information|userinformation|system info)\.txt$", re.I)
URL_KEYS = {"url", "host", "hostname", "site", "origin", "link"}
LOGIN_KEYS = {"username", "login", "user", "user name", "email", "e-mail"}
PASSWORD_KEYS = {"password", "pass", "pwd"}
SYSTEM_KEYS = {
    "machine_name": {"computer name", "computername", "machinename", "machine name", "pc name", "computer"},
    "machine_user": {"username", "user name", "user", "machineuser"},
    "ip_address": {"ip", "ip address", "ipaddress"},
    "country": {"country", "location"},
    "operating_system": {"os", "windows", "operation system", "operating system", "os version"},
    "infected_at": {"log date", "date", "install date", "local date"},
    "hwid": {"hwid", "machineid", "machine id"},
    "stealer": {"build", "build id", "stealer", "botnet", "buildid"},
}
KEY_VALUE = re.compile(r"^\s*([A-Za-z][A-Za-z _\-]{0,30}?)\s*:\s*(.*?)\s*$")


def parse_password_file(text: str, location: str, victim: str) -> tuple[list[Credential], int]:
    """Credentials of a stealer password file (URL/Username/Password blocks) and the count of broken
    blocks."""
    creds: list[Credential] = []
    broken = 0
    block: dict[str, str] = {}
    start = 1

    def flush(line_no: int) -> None:
        nonlocal broken, block
        if block:
            if block.get("login") and block.get("password"):
                creds.append(
                    Credential(
                        block.get("url", ""),
                        block["login"],
                        block["password"],
                        f"{location}:{line_no}",
                        victim,
                    )
                )
            elif block.get("url") or block.get("login") or block.get("password"):
                broken += 1
        block = {}

    for number, line in enumerate(text.splitlines(), start=1):
        m = KEY_VALUE.match(line)
        if not m:
            if not line.strip() or set(line.strip()) <= set("=-*_#"):
                flush(start)
                start = number + 1
            continue
        key, value = m.group(1).strip().lower(), m.group(2)
        if key in URL_KEYS:
            kind = "url"
        elif key in LOGIN_KEYS:
            kind = "login"
        elif key in PASSWORD_KEYS:
            kind = "password"
        else:
            continue
        if kind in block:  # a new record begins without a separator line
            flush(start)
            start = number
        block[kind] = value
    flush(start)
    return creds, broken


def parse_system_file(text: str) -> dict[str, str]:
    """Machine data of a stealer log's system-information file."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        m = KEY_VALUE.match(line)
        if not m:
            continue
        key, value = m.group(1).strip().lower(), m.group(2).strip()
        for name, keys in SYSTEM_KEYS.items():
            if key in keys and name not in found and value:
                found[name] = value[:200]
    return found


@dataclass
class VictimLog:
    """One per-victim folder of a stealer log."""

    folder: str
    system: dict[str, str] = field(default_factory=dict)
    credentials: list[Credential] = field(default_factory=list)
    broken: int = 0


def victim_folders(names: Iterable[str]) -> dict[str, list[str]]:
    """Folders holding a password file, each with its password and system files (paths with / separators).

    Everything else under a victim's folder (cookies, autofill, screenshots) belongs to the victim too and
    is not read as a combination list: see `in_victim_folder`.
    """
    names = [n.replace("\\", "/") for n in names]
    folders = {n.rsplit("/", 1)[0] if "/" in n else "" for n in names if PASSWORD_FILES.search(n)}
    out: dict[str, list[str]] = {f: [] for f in folders}
    for name in names:
        folder = name.rsplit("/", 1)[0] if "/" in name else ""
        if folder in out and (PASSWORD_FILES.search(name) or SYSTEM_FILES.search(name)):
            out[folder].append(name)
    return out


def in_victim_folder(name: str, folders: Iterable[str]) -> bool:
    name = name.replace("\\", "/")
    return any(f == "" or name.startswith(f + "/") for f in folders)


def read_victim(folder: str, files: dict[str, bytes]) -> VictimLog:
    """Parse one victim folder from its files' contents."""
    log = VictimLog(folder)
    for name, raw in sorted(files.items()):
        text, _encoding = decode(raw)
        if PASSWORD_FILES.search(name):
            creds, broken = parse_password_file(text, name, folder)
            log.credentials.extend(creds)
            log.broken += broken
        elif SYSTEM_FILES.search(name):
            for k, v in parse_system_file(text).items():
                log.system.setdefault(k, v)
    return log


# --- CSV dumps ---------------------------------------------------------------------------------------------

CSV_URL = ("url", "host", "origin_url", "site", "website", "domain", "hostname")
CSV_LOGIN = ("login", "username", "user", "email", "e-mail", "username_value", "account")
CSV_PASSWORD = ("password", "pass", "password_value", "pwd")


class CsvLayoutError(ValueError):
    pass


def read_csv(stream: IO[bytes], name: str) -> Iterator[tuple[int, Credential | None]]:
    """Rows of a CSV dump as credentials (None for a row without login or password), streamed."""
    head = stream.read(65536)
    _text, encoding = decode(head[: head.rfind(b"\n") + 1] or head)
    rest = io.BufferedReader(_Prefixed(head, stream))
    text = io.TextIOWrapper(rest, encoding=encoding, errors="replace", newline="")
    sample = head.decode(encoding, "replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample.split("\n", 1)[0], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text, dialect)
    header = [h.strip().lower().lstrip("\ufeff") for h in next(reader, [])]

    def column(names: tuple[str, ...]) -> int | None:
        return next((header.index(n) for n in names if n in header), None)

    url_i, login_i, password_i = column(CSV_URL), column(CSV_LOGIN), column(CSV_PASSWORD)
    if login_i is None or password_i is None:
        raise CsvLayoutError(f"{name}: the header needs a login column and a password column")
    for number, row in enumerate(reader, start=2):
        if not any(row):
            continue
        try:
            login, password = row[login_i].strip(), row[password_i]
        except IndexError:
            yield number, None
            continue
        url = row[url_i].strip() if url_i is not None and url_i < len(row) else ""
        yield number, (Credential(url, login, password, f"{name}:{number}") if login and password else None)


class _Prefixed(io.RawIOBase):
    """A stream that first gives back bytes already read from it."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]  # RawIOBase takes any buffer
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
