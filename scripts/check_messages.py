"""Fail when a translation is missing or fuzzy, or a compiled catalogue lags behind its source.

Catalogues: the shared one (src/qalxan/locale) and each app's own (src/qalxan/<app>/locale).
"""

import gettext
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "qalxan"
LANGUAGES = ("az", "en", "ru")


def check(po: Path) -> list[str]:
    problems = []
    name = po.relative_to(PACKAGE)
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]
    live = [e for e in entries if e.strip() and not e.strip().startswith("#~")]
    for entry in live:
        msgid = re.search(r'^msgid "(.*)"', entry, re.M)
        label = msgid.group(1) if msgid else entry[:60]
        if "#, fuzzy" in entry:
            problems.append(f"{name}: fuzzy: {label!r}")
        for first, rest in re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', entry, re.M):
            if not first and not rest.strip():
                problems.append(f"{name}: untranslated: {label!r}")
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return [*problems, f"{name.with_suffix('.mo')} is missing: run `make messages`"]
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    singular = {k for k in catalog if isinstance(k, str) and k}
    compiled = singular | {k[0] for k in catalog if isinstance(k, tuple)}
    if len(compiled) < len(live):
        problems.append(f"{name.with_suffix('.mo')} lags behind its .po: run `make messages`")
    return problems


catalogues = [*PACKAGE.glob("locale/*/LC_MESSAGES/*.po"), *PACKAGE.glob("*/locale/*/LC_MESSAGES/*.po")]
found = [problem for po in sorted(catalogues) if po.parent.parent.name in LANGUAGES for problem in check(po)]
if found:
    print("\n".join(found[:200]))
    print(f"{len(found)} translation problem(s).")
    sys.exit(1)
print(f"Translations complete ({len(catalogues)} catalogues).")
