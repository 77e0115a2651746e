#!/usr/bin/env bash
# Extract and compile translations. Apps with their own locale/ folder keep their own catalogue;
# everything else (core, organizations, shared templates) is in src/qalxan/locale.
# QALXAN_MESSAGES_DIR: another copy of the package to work in (scripts/check_messages.py extracts into
# a temporary copy, with PYTHONPATH pointing at it); QALXAN_MESSAGES_COMPILE=0: extract only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${QALXAN_MESSAGES_DIR:-$ROOT/src/qalxan}"
QALXAN="$ROOT/.venv/bin/qalxan"
export QALXAN_VAR_DIR="${QALXAN_VAR_DIR:-$ROOT/var/test}"
ignore=()
for app_locale in */locale; do
    app="${app_locale%/locale}"
    ignore+=(--ignore "$app/*")
    (cd "$app" && "$QALXAN" manage makemessages -l az -l en -l ru --no-obsolete --no-location)
done
"$QALXAN" manage makemessages -l az -l en -l ru --no-obsolete --no-location "${ignore[@]}"
if [ "${QALXAN_MESSAGES_COMPILE:-1}" != "0" ]; then
    "$QALXAN" manage compilemessages
fi
