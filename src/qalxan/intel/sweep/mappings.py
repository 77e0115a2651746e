"""Declared log types: which field of a log line holds what kind of observable, and where the time is.

A mapping file (`--mapping FILE.json`) declares more: `{"name": "zeek-dns", "time": "ts",
"fields": {"query": "domain", "answers": "ip"}}`. Kinds: domain, ip, url, hash, filename, email.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

KINDS = frozenset({"domain", "ip", "url", "hash", "filename", "email"})


@dataclass(frozen=True)
class LogType:
    name: str
    fields: dict[str, str]
    time: str = "ts"
    patterns: tuple[str, ...] = ()  # file-name fragments that select this type when --type is not given

    def __post_init__(self) -> None:
        bad = {f: k for f, k in self.fields.items() if k not in KINDS}
        if bad:
            raise ValueError(f"log type {self.name}: unknown kinds {bad}")


BUILTIN: dict[str, LogType] = {
    t.name: t
    for t in (
        LogType("dns", {"query": "domain", "answer": "ip"}, patterns=("dns",)),
        LogType("proxy", {"url": "url", "host": "domain", "dst_ip": "ip"}, patterns=("proxy", "http", "web")),
        LogType(
            "firewall",
            {"src_ip": "ip", "dst_ip": "ip"},
            patterns=("fw", "firewall", "flow", "netflow", "conn"),
        ),
        LogType(
            "process",
            {
                "md5": "hash",
                "sha1": "hash",
                "sha256": "hash",
                "image": "filename",
                "parent_image": "filename",
            },
            patterns=("process", "endpoint", "edr", "sysmon"),
        ),
        LogType(
            "mail",
            {"sender": "email", "recipient": "email", "sender_domain": "domain"},
            patterns=("mail", "smtp"),
        ),
    )
}


def load(path: str | Path) -> LogType:
    data = json.loads(Path(path).read_text("utf-8"))
    return LogType(
        str(data["name"]), {str(k): str(v) for k, v in data["fields"].items()}, str(data.get("time", "ts"))
    )


def guess(path: str | Path) -> LogType | None:
    name = Path(path).name.lower()
    for log_type in BUILTIN.values():
        if any(p in name for p in log_type.patterns):
            return log_type
    return None
