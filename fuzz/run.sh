#!/usr/bin/env bash
# Builds the libFuzzer target fuzz/frontend_fuzzer (clang, ASan+UBSan, in
# build-fuzz/) and runs it for SECONDS (default 300).
#
# Seeds: tests/corpus/scripts/*.stp and resources/examples/*.stp are copied
# into fuzz/corpus/ at run time (they are not committed twice); the fuzzer
# adds what it finds there.  Crashes/timeouts/leaks go to fuzz/artifacts/,
# the log to fuzz/logs/.  All three are git-ignored.
#
# Pass-3 translations are sampled into fuzz/samples/ (git-ignored); compile
# them with fuzz/compile_sample.sh.
#
# Usage: fuzz/run.sh [SECONDS] [-j WORKERS] [-k] [--no-build] [--target T] [-- EXTRA LIBFUZZER FLAGS]
#   --target T  frontend_fuzzer (default: passes 1-3) or protocol_fuzzer (the
#          perspectives' --json reader; its seeds are tstap --json output of
#          the user-space examples, its corpus fuzz/corpus-protocol_fuzzer/)
#   -j N   run N workers (libFuzzer -fork=N); default 1
#   -k     keep going after a crash/timeout/OOM (implies -fork, -ignore_*)
# Reproduce an artifact:  build-fuzz/fuzz/frontend_fuzzer fuzz/artifacts/crash-...
# Environment: FUZZ_BUILD_DIR (default build-fuzz), CLANG (default clang++,
#   falling back to clang++-14).  Debian: apt-get install clang-14 libclang-rt-14-dev
set -eu
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=300
workers=1
keep_going=0
do_build=1
target=frontend_fuzzer
extra=()
while [ $# -gt 0 ]; do
    case $1 in
        -j) workers=$2; shift 2 ;;
        -k) keep_going=1; shift ;;
        --no-build) do_build=0; shift ;;
        --target) target=$2; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        [0-9]*) seconds=$1; shift ;;
        *) sed -n '2,16p' "$0" >&2; exit 2 ;;
    esac
done

cxx=${CLANG:-}
if [ -z "$cxx" ]; then
    for c in clang++ clang++-14; do command -v $c >/dev/null && { cxx=$c; break; }; done
fi
[ -n "$cxx" ] || { echo "fuzz/run.sh: clang++ not found (apt-get install clang-14)" >&2; exit 2; }
cc=${cxx/clang++/clang}

if [ $do_build = 1 ]; then
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    [ -f "$build/CMakeCache.txt" ] && gen=()
    cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
          -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
          -DTAPSTUDIO_FUZZ=ON -DTAPSTUDIO_TESTS=OFF -DTAPSTUDIO_BENCH=OFF >/dev/null
    grep -q '^TAPSTUDIO_TESTS:BOOL=OFF' "$build/CMakeCache.txt" ||
        { echo "fuzz/run.sh: Qt tests must be off in $build" >&2; exit 1; }
    cmake --build "$build" -j2 --target "$target"
fi
fuzzer=$build/fuzz/$target
[ -x "$fuzzer" ] || { echo "fuzz/run.sh: $fuzzer not built" >&2; exit 2; }

corpus=$here/corpus
[ "$target" = frontend_fuzzer ] || corpus=$here/corpus-$target
artifacts=$here/artifacts
logs=$here/logs
samples=$here/samples
mkdir -p "$corpus" "$artifacts" "$logs" "$samples"
export TAP_FUZZ_SAMPLE_DIR=$samples # every 20th pass-3 translation, for compile_sample.sh
seeds=0
if [ "$target" = protocol_fuzzer ]; then
    # What tstap --json writes: the user-space examples' streams, each with a
    # first byte (the chunk size) in front.
    tstap=$root/build/app/tstap
    for f in "$root"/resources/examples/*.stp; do
        [ -x "$tstap" ] || break
        out=$(timeout 5 "$tstap" --json -T 1 "$f" 2>/dev/null | head -c 4000) || true
        [ -n "$out" ] || continue
        printf '\x07%s' "$out" >"$corpus/seed-$(basename "$f" .stp).jsonl"
        seeds=$((seeds + 1))
    done
else
    for f in "$root"/tests/corpus/scripts/*.stp "$root"/resources/examples/*.stp; do
        [ -f "$f" ] || continue
        cp -f "$f" "$corpus/seed-$(basename "$f")"
        seeds=$((seeds + 1))
    done
fi
log=$logs/fuzz-$(date -u +%Y%m%dT%H%M%SZ).log

sym=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)
[ -n "$sym" ] || sym=/usr/lib/llvm-14/bin/llvm-symbolizer
[ -x "$sym" ] && export ASAN_SYMBOLIZER_PATH=$sym
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:symbolize=1}

flags=(-max_len=4096 -timeout=10 -rss_limit_mb=2048 -max_total_time="$seconds"
       -artifact_prefix="$artifacts/" -print_final_stats=1)
[ "$target" = frontend_fuzzer ] && flags+=(-dict="$here/stap.dict")
if [ $keep_going = 1 ]; then
    flags+=(-fork="$workers" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
elif [ "$workers" -gt 1 ]; then
    flags+=(-fork="$workers")
fi

echo "fuzz/run.sh: $fuzzer, $seconds s, $seeds seeds, log $log"
before=$(ls "$artifacts" | wc -l)
rc=0
(cd "$build" && "$fuzzer" "${flags[@]}" "${extra[@]}" "$corpus") >"$log" 2>&1 || rc=$?

echo "---- summary ----"
grep -E '^#[0-9]+.*(INITED|DONE)' "$log" | tail -n 2 || true
grep -E '^stat::' "$log" || true
echo "last status: $(grep -E '^#[0-9]+' "$log" | tail -n 1)"
echo "corpus files: $(ls "$corpus" | wc -l) (seeds $seeds)"
new=$(ls -t "$artifacts" | head -n $(( $(ls "$artifacts" | wc -l) - before )) 2>/dev/null || true)
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$log"; then
    echo "FINDINGS: sanitizer/libFuzzer reports in $log:"
    grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY:|Test unit written to' "$log" | head -n 40
else
    echo "no crash, hang, leak or sanitizer report (exit $rc)"
fi
[ -n "$new" ] && { echo "new artifacts:"; echo "$new" | sed "s|^|  $artifacts/|"; }
exit $rc
