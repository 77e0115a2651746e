#!/usr/bin/env bash
# Extract and compile translations. Apps with their own locale/ folder keep their own catalogue;
# everything else (core, organizations, shared templates) is in src/qalxan/locale.
set -euo pipefail
cd "$(dirname "$0")/../src/qalxan"
QALXAN=../../.venv/bin/qalxan
export QALXAN_VAR_DIR="${QALXAN_VAR_DIR:-../../var/test}"
ignore=()
for app_locale in */locale; do
    app="${app_locale%/locale}"
    ignore+=(--ignore "$app/*")
    (cd "$app" && ../$QALXAN manage makemessages -l az -l en -l ru --no-obsolete --no-location)
done
$QALXAN manage makemessages -l az -l en -l ru --no-obsolete --no-location "${ignore[@]}"
$QALXAN manage compilemessages
