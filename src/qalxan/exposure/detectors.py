"""Personal-data detectors: one compiled pattern per kind, cheap pre-filters, validation, then masking.

A document's whole text goes through each detector once. The patterns run in polars' regular-expression
engine (Rust, linear time, several hundred MB/s) over the text cut at line ends, so both cores help on
a large document; candidates are then validated in Python (VÖEN and IBAN check digits, FIN context).
What is kept of a match is its kind, a masked form (enough to find it on the page) and a keyed hash
(to recognise the same value again), never the value itself.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

import polars as pl
from stdnum import iban as stdnum_iban
from stdnum.az import voen as stdnum_voen

# FIN: 7 characters of digits and upper-case Latin letters without I and O. There is no public check
# digit, so a candidate counts only within a short window after a context word, and it must hold a
# digit (a 7-letter word in capitals is not a FIN).
FIN_CONTEXT_WORDS = ("FİN", "FIN", "PIN", "PİN", "Fin", "fin", "Pin", "pin", "əxsiyyət", "ƏXSİYYƏT")
FIN_WINDOW = 48
B = r"(?-u:\b)"  # ASCII word boundary: keeps the engine on its fast path over non-Latin text
PATTERNS = {
    "fin": (
        r"(?:F[İI]N|P[İI]N|"
        + B
        + r"[FfPp]in"
        + B
        + r"|[Şş]əxsiyyət|ŞƏXSİYYƏT).{0,"
        + str(FIN_WINDOW)
        + r"}[0-9A-Z]{0,7}"
    ),
    "id_card": B + r"(?:AZE[0-9]{8}|AA[0-9]{7})" + B,
    "phone": (
        r"(?:\+994|" + B + r"994|" + B + r"0)[ \-.(]{0,2}(?:10|12|40|44|50|51|55|60|70|77|99)[ \-.)]{0,2}"
        r"[0-9]{3}[ \-.]?[0-9]{2}[ \-.]?[0-9]{2}" + B
    ),
    "voen": B + r"[0-9]{10}" + B,
    "iban": B + r"AZ[0-9]{2} ?[A-Z]{4}(?: ?[A-Z0-9]{4}){5}" + B,
    "email": r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}\.)+[A-Za-z]{2,24}" + B,
}
# Only a kind whose marker occurs somewhere in the text is searched for.
PREFILTERS = {
    "fin": lambda text: any(word in text for word in FIN_CONTEXT_WORDS),
    "id_card": lambda text: "AZE" in text or "AA" in text,
    "iban": lambda text: "AZ" in text,
    "email": lambda text: "@" in text,
}
# The same patterns for Python's engine, which wins on small texts (a page) where polars' set-up dominates.
PY_PATTERNS = {k: re.compile(v.replace(B, r"\b"), re.ASCII) for k, v in PATTERNS.items()}
SMALL = 256 * 1024
FIN_CONTEXT = re.compile(r"F[İI]N|P[İI]N|\b[FfPp]in\b|[Şş]əxsiyyət|ŞƏXSİYYƏT")
FIN_TOKEN = re.compile(r"(?<![0-9A-Za-z])(?=[A-HJ-NP-Z]*[0-9])[0-9A-HJ-NP-Z]{7}(?![0-9A-Za-z])")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text (the value stays in memory only)."""

    kind: str
    value: str

    def masked(self) -> str:
        return mask(self.kind, self.value)

    def digest(self, key: bytes) -> str:
        return keyed_hash(self.kind, self.value, key)


def normalise(kind: str, value: str) -> str:
    if kind == "email":
        return value.lower()
    return re.sub(r"[^0-9A-Za-z+]", "", value).upper()


def mask(kind: str, value: str) -> str:
    """Keep just enough to recognise the place: the first and last characters of the normalised value."""
    v = normalise(kind, value)
    if kind == "email":
        local, _, domain = v.partition("@")
        return f"{local[:1]}***@{domain}"
    keep_start = {"fin": 1, "id_card": 3, "phone": 6, "voen": 2, "iban": 6}.get(kind, 1)
    hidden = max(len(v) - keep_start - 2, 1)
    return v[:keep_start] + "*" * hidden + v[len(v) - 2 :]


def keyed_hash(kind: str, value: str, key: bytes) -> str:
    return hmac.new(key, f"{kind}:{normalise(kind, value)}".encode(), hashlib.sha256).hexdigest()


def _pieces(text: str) -> list[str]:
    """The text cut at line ends into pieces of about CHUNK characters (no pattern crosses a line end)."""
    pieces = []
    start = 0
    while len(text) - start > CHUNK:
        cut = text.find("\n", start + CHUNK)
        if cut == -1:
            break
        pieces.append(text[start:cut])
        start = cut + 1
    pieces.append(text[start:])
    return pieces


def candidates(text: str) -> dict[str, list[str]]:
    """Every match of every kind's pattern (before validation)."""
    kinds = [k for k in PATTERNS if k not in PREFILTERS or PREFILTERS[k](text)]
    if not kinds or not text:
        return {}
    if len(text) < SMALL:
        return {k: PY_PATTERNS[k].findall(text) for k in kinds}
    frame = pl.DataFrame({"t": _pieces(text)})
    found = frame.select([pl.col("t").str.extract_all(PATTERNS[k]).alias(k) for k in kinds]).to_dict(
        as_series=False
    )
    return {k: [m for row in found[k] for m in (row or ())] for k in kinds}


def detect(text: str) -> list[Hit]:
    """Every piece of personal data in `text`, validated, in the order of the kinds."""
    found = candidates(text)
    hits: list[Hit] = []
    for window in found.get("fin", ()):
        # A window may hold further context words (and the tokens after them).
        taken: set[int] = set()
        for context in FIN_CONTEXT.finditer(window):
            for m in FIN_TOKEN.finditer(window, context.end(), context.end() + FIN_WINDOW + 7):
                if m.start() not in taken:
                    taken.add(m.start())
                    hits.append(Hit("fin", m.group()))
    hits.extend(Hit("id_card", v) for v in found.get("id_card", ()))
    phones = found.get("phone", [])
    hits.extend(Hit("phone", v) for v in phones)
    ibans = [v for v in found.get("iban", ()) if stdnum_iban.is_valid(v.replace(" ", ""))]
    hits.extend(Hit("iban", v) for v in ibans)
    # A ten-digit phone written without separators is not a VÖEN.
    phone_digits = {re.sub(r"\D", "", p) for p in phones}
    hits.extend(
        Hit("voen", v) for v in found.get("voen", ()) if v not in phone_digits and stdnum_voen.is_valid(v)
    )
    hits.extend(Hit("email", v.strip(".")) for v in found.get("email", ()))
    return hits
