#!/usr/bin/env bash
# Executor benchmarks (issue 3): tstap against `stap --runtime=bpf` (stapbpf)
# on the same scripts, measured in the same run with hyperfine.
# stapbpf only runs here through memlock_shim.so (see memlock_shim.c).
# Usage: bench/exec/run.sh [TSTAP]
set -u
here=$(cd "$(dirname "$0")" && pwd)
tstap=${1:-$here/../../build/app/tstap}
shim=$(mktemp -d)/memlock_shim.so
gcc -shared -fPIC -O2 -o "$shim" "$here/memlock_shim.c" -ldl
opts="-D MAXACTION=100000000 -D MAXMAPENTRIES=100000"
printf '%-12s %12s %12s %8s  %s\n' script tstap_ms stapbpf_ms ratio note
for s in int_loop string_loop sort_100k; do
    file=$here/$s.stp
    t=$(hyperfine -N -w 1 -r 5 --export-json /tmp/tap_h1.json "$tstap $opts $file" >/dev/null 2>&1 &&
        python3 -c "import json;print('%.1f'%(json.load(open('/tmp/tap_h1.json'))['results'][0]['mean']*1000))")
    if LD_PRELOAD=$shim timeout 120 stap --runtime=bpf $opts "$file" >/dev/null 2>&1; then
        b=$(LD_PRELOAD=$shim hyperfine -N -w 1 -r 5 --export-json /tmp/tap_h2.json "stap --runtime=bpf $opts $file" >/dev/null 2>&1 &&
            python3 -c "import json;print('%.1f'%(json.load(open('/tmp/tap_h2.json'))['results'][0]['mean']*1000))")
        ratio=$(python3 -c "print('%.2f' % ($b / $t))")
        note="stapbpf/tstap (whole command, incl. stap's passes 1-4)"
    else
        b=-; ratio=-
        note="stapbpf refuses this script: $(LD_PRELOAD=$shim stap --runtime=bpf $opts "$file" 2>&1 | grep -m1 -iE 'error|unsupported' | cut -c1-80)"
    fi
    printf '%-12s %12s %12s %8s  %s\n' "$s" "$t" "$b" "$ratio" "$note"
done
# Statements per second: the difference between 20M and 10M iterations of
# the integer loop (each iteration runs the condition, the body statement and
# the step: 3 simple statements) removes start-up cost.
sed 's/10000000/20000000/' "$here/int_loop.stp" > /tmp/tap_int_loop_20m.stp
t10=$( { /usr/bin/time -f %e "$tstap" $opts "$here/int_loop.stp" >/dev/null; } 2>&1 )
t20=$( { /usr/bin/time -f %e "$tstap" $opts /tmp/tap_int_loop_20m.stp >/dev/null; } 2>&1 )
python3 -c "d=$t20-$t10; print('executor: %.0f million simple statements per second (10M extra iterations x 3 statements in %.3f s)' % (30/d if d>0 else float('inf'), d))"
