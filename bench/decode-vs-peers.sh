#!/usr/bin/env bash
# Times `layers decode` against tcpdump and tshark on the same capture, in the same run,
# and prints the ratios and each tool's peak memory. The capture is made here from the
# crafted fixtures, repeated to N records (default 300000): local files only, no network.
#   bench/decode-vs-peers.sh [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-300000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$records" "$work/big.pcap" <<'PY'
import struct, sys
n, out = int(sys.argv[1]), sys.argv[2]
data = open("fixtures/crafted.pcap", "rb").read()
recs, off = [], 24
while off < len(data):
    cap = struct.unpack("<IIII", data[off:off + 16])[2]
    recs.append(data[off:off + 16 + cap]); off += 16 + cap
with open(out, "wb") as f:
    f.write(data[:24])
    for i in range(n):
        f.write(recs[i % len(recs)])
PY
cargo build --release --quiet
layers=target/release/layers
run() { # run NAME COMMAND...: best wall time of 3, and peak RSS
  local name=$1 best=999999 rss=0
  shift
  for _ in 1 2 3; do
    local t0 t1 ms
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    (( ms < best )) && best=$ms
    rss=$(cat "$work/rss")
  done
  echo "$name $best $rss"
}
{
  run "layers-decode-stats" "$layers" decode "$work/big.pcap" --stats
  run "layers-decode-json" "$layers" decode "$work/big.pcap" --json
  command -v tcpdump >/dev/null && run "tcpdump-read" tcpdump -nn -r "$work/big.pcap"
  command -v tshark >/dev/null && run "tshark-io-phs" tshark -q -z io,phs -r "$work/big.pcap"
  command -v tshark >/dev/null && run "tshark-json" tshark -T json -r "$work/big.pcap"
} > "$work/results"
base=$(awk '$1=="layers-decode-stats"{print $2}' "$work/results")
echo "records: $records ($(stat -c %s "$work/big.pcap") bytes)"
awk -v base="$base" '{ printf "%-22s %8d ms  %7.2fx layers --stats  peak %6.1f MiB\n", $1, $2, $2/(base>0?base:1), $3/1024 }' "$work/results"
