#!/usr/bin/env bash
# `cpack -G DEB` builds the Debian package; dpkg-deb checks its control
# fields and contents, lintian (when installed) finds no errors or warnings, and tstap
# runs from the unpacked package.
# Usage: package_deb.sh BUILD_DIR
set -euo pipefail
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$out" && cpack -G DEB --config "$build/CPackConfig.cmake" > cpack.log) || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/tapstudio_*.deb)
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for needed in clang libbpf-dev libbpf1 libdw1 libelf1 libqt6core6 libqt6widgets6 libqscintilla2-qt6; do
  case $depends in
    *"$needed"*) ;;
    *) echo "FAIL: Depends lacks $needed"; exit 1 ;;
  esac
done
[ "$(dpkg-deb -f "$deb" Package)" = tapstudio ] || { echo "FAIL: package name"; exit 1; }
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/tstap ./usr/bin/tapstudio ./usr/libexec/tapstudio/tstap-language-server \
         ./usr/share/tapstudio/tapsets/context.stp ./usr/share/man/man1/tstap.1.gz \
         ./usr/share/doc/tapstudio/copyright ./usr/share/doc/tapstudio/changelog.gz; do
  grep -qF " $f" <<< "$contents" || { echo "FAIL: $f is not in the package"; exit 1; }
done

root="$out/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/tstap" -p2 "$root/usr/share/tapstudio/examples/syscall_top.stp" > /dev/null
"$root/usr/bin/tstap" "$root/usr/share/tapstudio/examples/hello_world.stp" > /dev/null

if command -v lintian > /dev/null; then
  # Root may run lintian only with --allow-root.
  lintian --allow-root --tag-display-limit 0 "$deb" > "$out/lintian.txt" 2>&1 || true
  if grep "^[EW]:" "$out/lintian.txt"; then
    echo "FAIL: lintian errors or warnings"
    exit 1
  fi
  echo "lintian: no errors or warnings"
else
  echo "lintian is not installed: not run"
fi
