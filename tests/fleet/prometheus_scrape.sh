#!/usr/bin/env bash
# A real Prometheus server scrapes tstap --http: the test writes a scrape
# configuration pointing at tstap on loopback, starts Prometheus (Debian's
# package) with a one-second scrape interval, and asks its HTTP API for the
# metric the script exports until it has the script's value.
# Usage: prometheus_scrape.sh TSTAP   (exit 77: prometheus or curl missing)
set -u
tstap=$1
command -v prometheus >/dev/null || { echo "prometheus is not installed (scripts/setup.sh installs it): skipped"; exit 77; }
command -v curl >/dev/null || { echo "curl is not installed: skipped"; exit 77; }
tap_port=27691
prometheus_port=27692
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

"$tstap" --http 127.0.0.1:$tap_port -e '
global sizes
probe begin { sizes["small"] = 42; sizes["with \"quotes\""] = 7 }
probe prometheus { @prometheus_dump_array1(sizes, "tapstudio_test_size", "kind") }' 2> "$dir/tstap.err" &
pids+=($!)

cat > "$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: tstap
    static_configs:
      - targets: ['127.0.0.1:$tap_port']
YAML
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address=127.0.0.1:$prometheus_port > "$dir/prometheus.log" 2>&1 &
pids+=($!)

query="http://127.0.0.1:$prometheus_port/api/v1/query?query=tapstudio_test_size"
for _ in $(seq 1 120); do
    answer=$(curl -s "$query")
    if grep -q '"kind":"small"' <<<"$answer" && grep -q '"kind":"with \\"quotes\\""' <<<"$answer" &&
       grep -q '"42"\]' <<<"$answer"; then
        echo "Prometheus has the script's metric: $answer"
        exit 0
    fi
    sleep 0.1
done
echo "Prometheus never had tapstudio_test_size; its last answer: ${answer:-none}"
echo "--- tstap:"; cat "$dir/tstap.err"
echo "--- prometheus:"; tail -20 "$dir/prometheus.log"
echo "--- targets:"; curl -s "http://127.0.0.1:$prometheus_port/api/v1/targets"
exit 1
