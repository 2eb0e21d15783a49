# Sourced by the session tests that need hundreds of kernel programs: sets
# `system` to the tracepoint system with the most events after syscalls
# (whose wildcard runs as a few programs on raw_syscalls), and `events` to
# its count; mounts tracefs when it is missing.
tracefs_events=/sys/kernel/tracing/events
[ -d "$tracefs_events/sched" ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
largest=$(for d in "$tracefs_events"/*/; do
              name=$(basename "$d")
              [ "$name" = syscalls ] || echo "$(find "$d" -mindepth 1 -maxdepth 1 -type d | wc -l) $name"
          done | sort -rn | head -1)
events=${largest%% *}
system=${largest#* }
