#!/usr/bin/env bash
# Installs what is missing, builds, and runs the bundled example script.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
example=resources/examples/hello_world.stp
echo "== tstap -p2 $example"
build/app/tstap -p2 "$example"
