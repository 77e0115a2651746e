"""Fail when a translation is missing or fuzzy, a compiled catalogue lags behind its source, or a
catalogue lags behind the code: the messages are extracted (`scripts/messages.sh`) into a temporary
copy of the package, and each catalogue must hold exactly the messages extracted for it.

Catalogues: the shared one (src/qalxan/locale) and each app's own (src/qalxan/<app>/locale).
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
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


def messages(po: Path) -> set[tuple[str, str]]:
    """The catalogue's (context, message) pairs, the header and obsolete entries left out."""
    found: set[tuple[str, str]] = set()
    for entry in po.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        current = ""
        for line in entry.splitlines():
            keyword = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$', line)
            if keyword:
                current = keyword.group(1)
                parts[current] = ast.literal_eval(keyword.group(2))
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
        if parts.get("msgid"):
            found.add((parts.get("msgctxt", ""), parts["msgid"]))
    return found


def extraction_problems(catalogues: list[Path]) -> list[str]:
    """Extract the messages into a copy of the package and compare each catalogue with its copy's."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="qalxan-messages-") as tmp:
        copy = Path(tmp) / "src" / "qalxan"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        env = {
            **os.environ,
            "PYTHONPATH": str(copy.parent),  # the copy's settings, so its own locale folder is written
            "QALXAN_MESSAGES_DIR": str(copy),
            "QALXAN_MESSAGES_COMPILE": "0",
            "QALXAN_VAR_DIR": str(Path(tmp) / "var"),
        }
        script = PACKAGE.parent.parent / "scripts" / "messages.sh"
        run = subprocess.run(  # noqa: S603  (the project's own script)
            [shutil.which("bash") or "/bin/bash", str(script)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode:
            return [f"extracting the messages failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}"]
        for po in catalogues:
            name = po.relative_to(PACKAGE)
            extracted = copy / name
            have = messages(po)
            wanted = messages(extracted) if extracted.exists() else set()
            problems += [
                f"{name}: not extracted yet: {m!r} (run `make messages`)" for _c, m in sorted(wanted - have)
            ]
            problems += [
                f"{name}: no longer in the code: {m!r} (run `make messages`)"
                for _c, m in sorted(have - wanted)
            ]
    return problems


catalogues = [*PACKAGE.glob("locale/*/LC_MESSAGES/*.po"), *PACKAGE.glob("*/locale/*/LC_MESSAGES/*.po")]
catalogues = sorted(po for po in catalogues if po.parent.parent.name in LANGUAGES)
found = [problem for po in catalogues for problem in check(po)]
found += extraction_problems(catalogues)
if found:
    print("\n".join(found[:200]))
    print(f"{len(found)} translation problem(s).")
    sys.exit(1)
print(f"Translations complete ({len(catalogues)} catalogues).")
