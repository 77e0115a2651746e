"""Fail when a translation is missing or fuzzy, or a compiled catalogue is older than its source."""

import gettext
import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src" / "qalxan" / "locale"
problems = []
for language in ("az", "en", "ru"):
    for po in sorted((LOCALE / language / "LC_MESSAGES").glob("*.po")):
        text = po.read_text(encoding="utf-8")
        entries = text.split("\n\n")[1:]
        for entry in entries:
            if "#, fuzzy" in entry:
                problems.append(f"{po.relative_to(LOCALE)}: fuzzy entry: {entry.splitlines()[-2][:80]}")
            msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', entry, re.M)
            if entry.strip().startswith("#~"):
                continue
            for first, rest in msgstrs:
                if not first and not rest.strip():
                    msgid = re.search(r'^msgid "(.*)"', entry, re.M)
                    problems.append(
                        f"{po.relative_to(LOCALE)}: untranslated: {msgid.group(1) if msgid else entry[:60]!r}"
                    )
        mo = po.with_suffix(".mo")
        live = [e for e in entries if e.strip() and not e.strip().startswith("#~")]
        if not mo.exists():
            problems.append(f"{mo.relative_to(LOCALE)} is missing: run `make messages`")
            continue
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        singular = {k for k in catalog if isinstance(k, str) and k}
        plural = {k[0] for k in catalog if isinstance(k, tuple)}
        if len(singular) + len(plural) < len(live):
            problems.append(f"{mo.relative_to(LOCALE)} is older than its .po: run `make messages`")
if problems:
    print("\n".join(problems[:200]))
    print(f"{len(problems)} translation problem(s).")
    sys.exit(1)
print("Translations complete.")
