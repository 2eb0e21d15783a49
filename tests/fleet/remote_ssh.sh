#!/usr/bin/env bash
# tstap --remote against real sshd servers: two "hosts", each an sshd of
# Debian's openssh-server in a network namespace of its own reached through
# a veth pair, with keys made here. One script runs on both (a kernel probe,
# so the compiled BPF object travels); host 1 is killed mid-run, host 0 goes
# on, stops at SIGINT with its end probe, and host 1 is reported as failed.
# Then a --json run on both: every record carries its host.
# Usage: remote_ssh.sh TSTAP   (exit 77: not root, or no sshd / ip netns)
set -u
tstap=$(realpath "$1")
[ "$(id -u)" -eq 0 ] || { echo "network namespaces need root: skipped"; exit 77; }
[ -x /usr/sbin/sshd ] || { echo "sshd is not installed (scripts/setup.sh installs openssh-server): skipped"; exit 77; }
command -v ssh >/dev/null || { echo "ssh is not installed (openssh-client): skipped"; exit 77; }
command -v ip >/dev/null || { echo "ip is not installed (iproute2): skipped"; exit 77; }

dir=$(mktemp -d)
namespaces=(tstap-ssh$$-0 tstap-ssh$$-1)
addresses=(10.231.71.2 10.231.72.2)
cleanup() {
    [ -n "${run_pid:-}" ] && kill "$run_pid" 2>/dev/null
    for ns in "${namespaces[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9
        ip netns del "$ns" 2>/dev/null
    done
    rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$dir"/*.out "$dir"/*.err "$dir"/sshd*.log; do echo "--- $f"; cat "$f"; done; exit 1; }

ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key" || fail "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" || fail "ssh-keygen"
cp "$dir/client_key.pub" "$dir/authorized_keys"
mkdir -p /run/sshd # sshd's privilege separation directory
for i in 0 1; do
    ns=${namespaces[$i]}
    if ! ip netns add "$ns" 2>"$dir/netns.err"; then
        echo "cannot make a network namespace ($(cat "$dir/netns.err")): skipped"
        exit 77
    fi
    ip link add "tsv$$$i" type veth peer name eth0 netns "$ns" || fail "veth"
    ip addr add "10.231.7$((i + 1)).1/24" dev "tsv$$$i"
    ip link set "tsv$$$i" up
    ip -n "$ns" addr add "${addresses[$i]}/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    cat > "$dir/sshd_config$i" <<CONF
ListenAddress ${addresses[$i]}:22
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $dir/sshd$i.pid
CONF
    (ip netns exec "$ns" /usr/sbin/sshd -D -e -f "$dir/sshd_config$i" 2>"$dir/sshd$i.log" &)
done
cat > "$dir/ssh_config" <<CONF
Host *
  User root
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  LogLevel ERROR
CONF
export TSTAP_SSH="ssh -F $dir/ssh_config" TSTAP_REMOTE_TSTAP="$tstap"
for i in 0 1; do
    for _ in $(seq 50); do
        $TSTAP_SSH "${addresses[$i]}" true 2>/dev/null && break
        sleep 0.1
    done
    $TSTAP_SSH "${addresses[$i]}" true 2>"$dir/ssh$i.err" || fail "host $i: sshd does not answer"
done

cat > "$dir/fleet.stp" <<'STP'
global switches, ticks
probe kernel.trace("sched:sched_switch") { switches++ }
probe timer.ms(100) { printf("tick %d\n", ++ticks) }
probe end { printf("end on %d %s: switches seen: %s\n", remote_id(), remote_uri(), switches > 0 ? "yes" : "no") }
STP

# Both hosts tick; host 1 dies; host 0 keeps ticking until SIGINT.
"$tstap" --remote "ssh://root@${addresses[0]}:22" --remote "${addresses[1]}" --remote-prefix "$dir/fleet.stp" \
    >"$dir/run.out" 2>"$dir/run.err" &
run_pid=$!
wait_for() { # PATTERN FILE
    for _ in $(seq 300); do grep -q "$1" "$2" && return 0; sleep 0.1; done
    return 1
}
wait_for '^0: tick 3$' "$dir/run.out" || fail "host 0 never ticked"
wait_for '^1: tick 3$' "$dir/run.out" || fail "host 1 never ticked"
ip netns pids "${namespaces[1]}" | xargs -r kill -9
last=$(grep -c '^0: tick' "$dir/run.out")
wait_for "^0: tick $((last + 5))\$" "$dir/run.out" || fail "host 0 stopped when host 1 was killed"
kill -INT "$run_pid"
wait "$run_pid"
status=$?
run_pid=
[ "$status" -ne 0 ] || fail "exit status 0 although host 1 failed"
grep -q "^0: end on 0 ssh://root@${addresses[0]}:22: switches seen: yes\$" "$dir/run.out" ||
    fail "host 0's end probe did not run (or saw no kernel event, or remote_id()/remote_uri() are wrong)"
grep -q '^1: end' "$dir/run.out" && fail "host 1 was killed, yet printed its end"
grep -q "^ERROR: host 1 (${addresses[1]}): ssh failed or the connection was lost" "$dir/run.err" ||
    fail "host 1's failure is not reported"
grep -q '^ERROR: host 0' "$dir/run.err" && fail "host 0 is reported as failed"
echo "killed host reported, the other completed: $(grep -c '^0: tick' "$dir/run.out") ticks on host 0"
echo "--- its stderr:"; cat "$dir/run.err"

# --json on both hosts for a second: each record names its host.
"$tstap" --json -T 1 --remote "${addresses[0]}" --remote "ssh://${addresses[0]%.2}.1" "$dir/fleet.stp" \
    >"$dir/json.out" 2>"$dir/json.err" && fail "a host that does not exist did not fail the run"
grep -q "\"t\":\"printf\".*\"text\":\"end on 0 ${addresses[0]}: switches seen: yes\\\\n\",\"host\":\"${addresses[0]}\"}" "$dir/json.out" ||
    fail "no end record from ${addresses[0]} with its host"
grep -q '"t":"diag","severity":"error","phase":"remote".*"host":"ssh://10.231.71.1"}' "$dir/json.out" ||
    fail "the unreachable host's error is not a diag record with its host"
echo "json records carry their host:"; grep "\"t\":\"stopped\"\|\"phase\":\"remote\"" "$dir/json.out"
exit 0
