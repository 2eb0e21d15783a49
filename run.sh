#!/usr/bin/env bash
# Installs what is missing, builds, and runs the bundled example script: in
# the tapstudio IDE when there is a display, else with tstap.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
example=resources/examples/hello_world.stp
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/app/tapstudio ]; then
  echo "== tapstudio $example"
  exec build/app/tapstudio "$example"
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "== no display (\$DISPLAY / \$WAYLAND_DISPLAY unset): not starting tapstudio; running the example with tstap"
else
  echo "== tapstudio was not built (Qt Widgets or QScintilla missing): running the example with tstap"
fi
echo "== tstap $example"
build/app/tstap "$example"
