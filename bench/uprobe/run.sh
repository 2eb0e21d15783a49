#!/usr/bin/env bash
# Uprobe benchmark, measured in one run, as root: per-event overhead of
# counting the calls of one user-space function (`n++` on every entry of
# tap_bench_fn in uprobe_target) — tstap, bpftrace, stap 4.8 (module runtime
# and stapbpf, when they can run here), a hand-written libbpf uprobe program
# (per-CPU in-place add: the floor) and an empty one (the kernel's uprobe trap).
# Every tracer that prints a count is checked against the calls it saw (5 x N).
# Usage: bench/uprobe/run.sh [N_CALLS]   (default 1000000; environment: RUNS=5
# runs per tracer, TSTAP=build/app/tstap)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
tstap=${TSTAP:-$top/build/app/tstap}
n=${1:-1000000}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }

inc=/usr/include/$(uname -m)-linux-gnu
clang -O2 -g -target bpf -mcpu=v3 -I"$inc" -c "$here/hand_uprobe.bpf.c" -o "$work/hand.o" || exit 1
clang -O2 -g -target bpf -mcpu=v3 -I"$inc" -c "$here/empty_uprobe.bpf.c" -o "$work/empty.o" || exit 1
gcc -O2 -o "$work/loader" "$here/hand_uprobe_loader.c" -lbpf || exit 1
gcc -O2 -g -o "$work/uprobe_target" "$here/uprobe_target.c" || exit 1
gcc -shared -fPIC -O2 -o "$work/memlock_shim.so" "$top/bench/exec/memlock_shim.c" -ldl || exit 1
target=$work/uprobe_target
expect=$((runs * n))

# The file offsets at which uprobes on $target are attached now: BPF links
# (bpftool) and tracefs uprobe events (what stapbpf creates).
sites() {
    {
        bpftool perf list 2>/dev/null | grep -F "filename $target " | grep -oE 'offset [0-9]+' | cut -d' ' -f2
        grep -F "$target:" /sys/kernel/tracing/uprobe_events 2>/dev/null | grep -oE ':0x[0-9a-f]+$' | cut -c2-
    } | while read -r o; do printf '0x%x\n' "$((o))"; done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# $runs runs of the target: ns[KEY] = the best, worst[KEY] = the worst, in ns;
# at[KEY] = where the tracer's uprobe is.
timed() {
    [ "$1" = base ] || at[$1]=$(sites)
    local best= slow=
    for _ in $(seq 1 $runs); do
        local t0 t1
        t0=$(date +%s%N); "$target" "$n"; t1=$(date +%s%N)
        local d=$((t1 - t0))
        if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
        if [ -z "$slow" ] || [ "$d" -gt "$slow" ]; then slow=$d; fi
    done
    ns[$1]=$best; worst[$1]=$slow
}

# Starts a tracer in the background and waits (up to 60 s) until its output
# matches the extended regex MARKER, then 0.5 s more for every tracer alike
# (once, while others were using the machine, a uprobe attached just before
# missed the next few ms of new processes; the counts below would show it).
# Returns 1, leaving the output in $work/out, if the tracer exits first or
# never gets there.
start() {
    local marker=$1; shift
    "$@" >"$work/out" 2>&1 &
    tracer=$!
    for _ in $(seq 1 1200); do
        grep -qE "$marker" "$work/out" 2>/dev/null && { sleep 0.5; return 0; }
        kill -0 "$tracer" 2>/dev/null || { wait "$tracer" 2>/dev/null; return 1; }
        sleep 0.05
    done
    kill -KILL "$tracer" 2>/dev/null; wait "$tracer" 2>/dev/null
    echo "(no readiness marker after 60 s)" >>"$work/out"
    return 1
}
stop() { kill -INT "$tracer" 2>/dev/null; wait "$tracer" 2>/dev/null; }
# The line of a failed tracer's output that says why.
reason() {
    grep -vE '^(WARNING|Tip:|Pass [1-4]:|Attaching)' "$work/out" | grep -m1 -iE 'error|fail|not supported|cannot|unknown' ||
        grep -m1 -v '^WARNING' "$work/out" || echo "no output"
}
# Checks that the count a tracer printed (the first number after PREFIX)
# equals the calls made while it was attached; marks row KEY invalid if not.
check() {
    local who=$1 prefix=$2 got
    got=$(grep -m1 -oE "$prefix *[0-9]+" "$work/out" | grep -oE '[0-9]+$')
    if [ "${got:-}" = "$expect" ]; then
        echo "  $who counted $got calls (= $runs x $n): ok"
    else
        echo "  WARNING: $who counted ${got:-nothing}, expected $expect ($runs x $n): its time is not valid"
        bad[$3]=1
    fi
}

# stapbpf opens /sys/kernel/debug/tracing/uprobe_events. When debugfs is not
# mounted (this VM mounts only tracefs, at /sys/kernel/tracing), run it in a
# private mount namespace with debugfs mounted there: nothing changes outside.
# `exec`, so that the tracer's pid (start runs this in a background subshell)
# is stap's own and SIGINT reaches it.
# The memlock shim is explained in bench/exec/memlock_shim.c.
stapbpf() {
    if [ -e /sys/kernel/debug/tracing/uprobe_events ]; then
        LD_PRELOAD=$work/memlock_shim.so exec "$@"
    else
        LD_PRELOAD=$work/memlock_shim.so exec unshare -m --propagation private \
            sh -c 'mount -t debugfs debugfs /sys/kernel/debug && exec "$@"' sh "$@"
    fi
}

script="global n
probe process(\"$target\").function(\"tap_bench_fn\") { n++ }
probe begin { printf(\"READY\\n\") }
probe end { printf(\"n=%d\\n\", n) }"

# The instruction the uprobe replaces decides the trap's cost (see uprobe_target.c).
insn=$(objdump -d --no-show-raw-insn "$target" | grep -A1 '<tap_bench_fn>:' | tail -1 | cut -f2- | tr -s ' \t' ' ')
entry=$(printf '0x%x' "$((0x$(nm "$target" | awk '$3 == "tap_bench_fn" { print $1 }')))")
echo "uprobe on tap_bench_fn (entry $entry: $insn), N=$n calls per run, best of $runs; counts checked against $expect"
declare -A ns worst bad at
timed base; base=${ns[base]}
if start READY "$work/loader" "$work/empty.o" "$target"; then timed empty; stop
else echo "  empty: failed: $(reason)"; fi
if start READY "$work/loader" "$work/hand.o" "$target"; then timed hand; stop; check hand-written count= hand
else echo "  hand-written: failed: $(reason)"; fi
if start Attaching bpftrace -e "uprobe:$target:tap_bench_fn { @n = count(); }"; then
    timed bpftrace; stop; check bpftrace '@n:' bpftrace
else echo "  bpftrace: failed: $(reason)"; fi
if start READY stap -e "$script"; then timed stap; stop; check stap n= stap
else echo "  stap: cannot run here: $(reason)"; fi
if start READY stapbpf stap --runtime=bpf -e "$script"; then timed stapbpf; stop; check "stap --runtime=bpf" n= stapbpf
else echo "  stap --runtime=bpf: cannot run here: $(reason)"; fi
# tstap: ready at its begin probe's READY, or at -v's "Pass 5: ... attached".
if [ -x "$tstap" ] && start 'READY|links attached' "$tstap" -v -e "$script"; then
    timed tstap; stop; check tstap n= tstap
    # tstap's uprobe_multi links are not listed by this bpftool (7.1): its
    # offset is what its pass 3 says it attaches at.
    [ -n "${at[tstap]}" ] || at[tstap]=$("$tstap" -p3 -e "$script" | grep -oE 'uprobe at file offset 0x[0-9a-f]+' | head -1 | awk '{print $NF}')
elif [ -x "$tstap" ]; then echo "  tstap: failed: $(reason)"
else echo "  tstap: failed: $tstap not built"; fi

per() { python3 -c "print('%.0f' % (($1 - $base) / $n))"; }
echo
echo "per-event overhead, ns (N=$n calls, best of $runs, minus the untraced best; base = untraced, $((base / n)) ns/call):"
printf '  %-9s %8s %14s %8s  %s\n' tracer ns "beyond empty" spread "uprobe at"
for k in base empty hand tstap bpftrace stap stapbpf; do
    [ -n "${ns[$k]:-}" ] || continue
    extra=-
    [ -n "${ns[empty]:-}" ] && [ "$k" != empty ] && [ "$k" != base ] && extra=$(python3 -c "print('%.0f' % ((${ns[$k]} - ${ns[empty]}) / $n))")
    where=${at[$k]:--}
    [ "$k" = base ] && where=
    [ -n "$where" ] && [ "$where" != "$entry" ] && [ "$where" != - ] && where="$where (NOT the entry $entry)"
    printf '  %-9s %8s %14s %8s  %s%s\n' "$k" "$(per "${ns[$k]}")" "$extra" "$(((worst[$k] - ns[$k]) / n))" \
        "$where" "${bad[$k]:+   (count wrong: not valid)}"
done
echo "  (spread = (worst - best run) / N: differences between tracers smaller than it are noise)"
[ -n "${ns[empty]:-}" ] && echo "  (empty = the kernel's uprobe trap plus an empty BPF program: the part no tracer can remove)"
if [ -n "${ns[tstap]:-}" ]; then
    python3 -c "
t=(${ns[tstap]}-$base)/$n
b=(${ns[bpftrace]:-0}-$base)/$n if '${ns[bpftrace]:-}' else None
h=(${ns[hand]:-0}-$base)/$n if '${ns[hand]:-}' else None
print('  tstap/bpftrace = %s (target <= 1.0)   tstap/hand-written = %s (target <= 1.05)' % (
    '%.3f' % (t/b) if b else '-', '%.3f' % (t/h) if h else '-'))"
    [ -n "${bad[tstap]:-}${bad[bpftrace]:-}${bad[hand]:-}" ] && echo "  WARNING: a count was wrong: these ratios are not valid"
    [ -n "${at[tstap]:-}" ] && [ "${at[tstap]}" != "$entry" ] &&
        echo "  WARNING: tstap's uprobe is at ${at[tstap]}, not at the function entry $entry where the others are: it traps on another instruction"
else
    echo "  tstap/bpftrace, tstap/hand-written: no tstap number"
fi
