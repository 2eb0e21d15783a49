#!/usr/bin/env bash
# Shared set-up of run.sh and test.sh: installs the Debian packages the project
# needs (only those missing), then configures and builds into build/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config zlib1g-dev
  clang libclang-rt-14-dev llvm
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libqscintilla2-qt6-dev libgl-dev
  libbpf-dev libdw-dev libelf-dev bpftool libarchive-dev libfuse3-dev fuse3
  systemtap systemtap-doc systemtap-sdt-dev
  xvfb xauth
  neovim libkf5syntaxhighlighting-tools lintian curl prometheus
  openssh-server openssh-client iproute2
  qemu-system-x86 busybox-static xz-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  elif command -v sudo >/dev/null; then
    sudo apt-get update -q
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "setup: missing packages and not root: ${missing[*]}" >&2
    exit 1
  fi
fi

build_type=${TAPSTUDIO_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build build -j2
