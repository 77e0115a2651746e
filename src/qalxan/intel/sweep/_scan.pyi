from collections.abc import Sequence

Buffer = bytes | bytearray | memoryview

DOMAIN: int
URL: int
IP: int
HASH: int
FILENAME: int
EMAIL: int

class Matcher:
    def __init__(
        self,
        domains: Sequence[str],
        suffixes: Sequence[str],
        url_hosts: Sequence[str],
        hashes: Sequence[str],
        filenames: Sequence[str],
        emails: Sequence[str],
        ipv4: Buffer,
        v4_starts: Buffer,
        v4_prefix_max: Buffer,
    ) -> None: ...
    def scan(
        self, buffer: Buffer, fields: Sequence[tuple[str, int]], time: str, /
    ) -> tuple[
        int,
        int,
        int,
        list[tuple[int, str]],
        list[tuple[int, int, str, str | None]],
        list[tuple[int, bytes]],
    ]: ...
