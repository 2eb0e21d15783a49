#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then everything runs from there:
# the installed tstap finds the installed tapsets (a function only they
# define), passes 2 on every seed example, runs one, starts its language
# server, and the pages its errors point to exist.
# Usage: install_prefix.sh BUILD_DIR USER_PROGRAM
set -euo pipefail
build=$1 uprog=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" > /dev/null
tstap=$prefix/bin/tstap

echo 'function install_marker:long () { return 42 }' > "$prefix/share/tapstudio/tapsets/install_marker.stp"
"$tstap" -p2 -e 'probe begin { println(install_marker()) }' > /dev/null

count=0
for example in "$prefix"/share/tapstudio/examples/*.stp; do
  options=()
  case $(basename "$example") in
    call_tracer.stp | malloc_stacks.stp) options=(-c "$uprog 1") ;;
  esac
  if ! "$tstap" -p2 "${options[@]}" "$example" > /dev/null; then
    echo "FAIL: the installed tstap -p2 $example"
    exit 1
  fi
  count=$((count + 1))
done
echo "installed tstap: pass 2 of $count examples"

# hello_world runs in user space only: it runs without root.
out=$("$tstap" "$prefix/share/tapstudio/examples/hello_world.stp")
[ -n "$out" ] || { echo "FAIL: hello_world.stp printed nothing"; exit 1; }

# The language server beside the installed tstap.
frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
reply=$( { frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
           frame '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
           frame '{"jsonrpc":"2.0","method":"exit"}'; } | TAPSTUDIO_CACHE_DIR="$prefix/cache" "$tstap" --language-server)
case $reply in
  *'"completionProvider"'*'"id":2'*) ;;
  *) echo "FAIL: the installed language server answered: $reply"; exit 1 ;;
esac

# Every "[man PAGE]" tstap prints names an installed page.
printf 'probe begin {\n  x = \n}\n' > "$prefix/broken.stp"
page=$("$tstap" -p1 "$prefix/broken.stp" 2>&1 | sed -n 's/.*\[man \([^]]*\)\].*/\1/p' || true)
[ "$page" = "error::pass1" ] || { echo "FAIL: tstap's pointer is '$page'"; exit 1; }
for page in error::pass1 error::pass2 error::pass3 error::pass4 error::pass5 error::fault error::dwarf; do
  [ -f "$prefix/share/man/man7/$page.7tap.gz" ] || { echo "FAIL: no page $page"; exit 1; }
done
if command -v man > /dev/null; then
  MANPATH="$prefix/share/man" man -w error::pass2 > /dev/null
  MANPATH="$prefix/share/man" man -w function::execname > /dev/null
fi
for f in bin/tapstudio share/man/man1/tstap.1.gz share/man/man3/function::execname.3tap.gz \
         share/man/man3/probe::scheduler.ctxswitch.3tap.gz share/applications/tapstudio.desktop \
         share/icons/hicolor/scalable/apps/tapstudio.svg share/org.kde.syntax-highlighting/syntax/systemtap.xml \
         share/vim/vimfiles/syntax/stp.vim share/tapstudio/editors/vscode/syntaxes/systemtap.tmLanguage.json \
         share/tapstudio/dashboard; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f is not installed"; exit 1; }
done
echo "installed tree OK: $(find "$prefix" -type f | wc -l) files"
