"""Validation shared by every module."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalise_domains(values: Iterable[str], *, field: str = "domains") -> list[str]:
    """Lower-case, IDN to punycode, de-duplicated domain names; a bad one refuses the whole list."""
    result: list[str] = []
    bad = []
    for raw in values:
        value = str(raw).strip().lower().rstrip(".")
        if not value:
            continue
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            bad.append(value)
            continue
        if not DOMAIN.match(value):
            bad.append(value)
        elif value not in result:
            result.append(value)
    if bad:
        raise ValidationError({field: [_("Not a domain name: %(value)s") % {"value": ", ".join(bad)}]})
    return result
