#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
# SystemTap's examples in the VM take about an hour: run only when a label is
# asked for (./test.sh -L vm-examples).
exclude=(-LE vm-examples)
for a in "$@"; do
  case $a in -L*) exclude=() ;; esac
done
ctest --test-dir build --output-on-failure -j2 "${exclude[@]}" "$@"
