#!/usr/bin/env bash
# Times every `layers decode` view beside tcpdump and tshark on the same generated capture,
# in the same run: the median of RUNS wall times and the peak RSS of each command, and how
# many times faster than `TZ=UTC tcpdump -nn -r` (and tshark) each one is.
#
#   bench/decode-vs-peers.sh [FRAMES...]       default: 100000 1000000
#   RUNS=5 TSHARK_MAX=100000 bench/decode-vs-peers.sh 100000
#
# The captures come from bench/gen-capture.py (deterministic; kept in target/bench/ so a
# rerun does not make them again). Local files only, no network. tshark runs only on the
# captures of at most TSHARK_MAX frames (it needs minutes and gigabytes beyond that).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
runs=${RUNS:-5}
tshark_max=${TSHARK_MAX:-100000}
dir=target/bench
mkdir -p "$dir"
cargo build --release --quiet
layers=$PWD/target/release/layers
timer=/usr/bin/time
[ -x "$timer" ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }

. bench/timing.sh

# measure NAME COMMAND...: median wall seconds of $runs runs, and the largest peak RSS (KiB).
measure() {
  local name=$1
  shift
  timed "$name" "" "$@" || return 1
  echo "$name $MEDIAN $RSS"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "peers: $(tcpdump --version 2>&1 | head -n1); $(command -v tshark >/dev/null && tshark --version | head -n1 || echo 'no tshark')"
echo "runs: median of $runs; $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for n in "${sizes[@]}"; do
  pcap=$dir/mixed-$n.pcap
  [ -f "$pcap" ] || python3 bench/gen-capture.py "$n" "$pcap" >/dev/null
  results=$dir/results-$n
  {
    measure "tcpdump -nn -r" env TZ=UTC tcpdump -nn -r "$pcap"
    measure "layers decode --stats" "$layers" decode "$pcap" --stats
    measure "layers decode --stats --threads 1" "$layers" decode "$pcap" --stats --threads 1
    measure "layers decode --oneline" "$layers" decode "$pcap" --oneline
    measure "layers decode --json" "$layers" decode "$pcap" --json
    measure "layers decode (tree)" "$layers" decode "$pcap"
    if command -v tshark >/dev/null && (( n <= tshark_max )); then
      measure "tshark -q -z io,phs" tshark -q -z io,phs -r "$pcap"
      measure "tshark -T json" tshark -T json -r "$pcap"
    fi
  } >"$results"
  echo
  echo "$n frames, $(stat -c %s "$pcap") bytes ($pcap)"
  awk '
    { name = $0; sub(/ [^ ]+ [^ ]+$/, "", name); t[NR] = $(NF-1); m[NR] = $NF; names[NR] = name }
    name == "tcpdump -nn -r" { tcp = $(NF-1) }
    name == "tshark -q -z io,phs" { phs = $(NF-1) }
    name == "tshark -T json" { tj = $(NF-1) }
    END {
      printf "| %-36s | %9s | %11s | %11s | %9s |\n", "command", "wall", "vs tcpdump", "vs tshark", "peak RSS"
      printf "| %-36s | %9s | %11s | %11s | %9s |\n", "---", "---:", "---:", "---:", "---:"
      for (i = 1; i <= NR; i++) {
        vs = (t[i] > 0) ? sprintf("%.1fx", tcp / t[i]) : "-"
        ts = "-"
        if (names[i] ~ /--stats/ && phs > 0) ts = sprintf("%.0fx", phs / t[i])
        if (names[i] ~ /--json/ && tj > 0) ts = sprintf("%.0fx", tj / t[i])
        printf "| %-36s | %8.3fs | %11s | %11s | %6.1f MB |\n", names[i], t[i], vs, ts, m[i] / 1024
      }
    }' "$results"
done
echo
echo "vs tcpdump: how many times faster than TZ=UTC tcpdump -nn -r on the same file (higher is faster);"
echo "vs tshark: --stats against tshark -q -z io,phs, --json against tshark -T json."
