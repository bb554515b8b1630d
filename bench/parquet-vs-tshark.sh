#!/usr/bin/env bash
# Times `layers decode --parquet` beside the route people take today, on the same generated
# capture in the same run: tshark's fields as CSV (`tshark -T fields -e ...`, the same
# columns), turned into Parquet by DuckDB. The median of RUNS wall times, the peak RSS, the
# rows per second and the size of what each writes.
#
#   bench/parquet-vs-tshark.sh [FRAMES...]       default: 100000 1000000
#   RUNS=3 TSHARK_MAX=100000 bench/parquet-vs-tshark.sh 1000000
#
# Needs python3 with duckdb (python3 -m pip install duckdb), GNU time, and tshark for its
# column. The captures come from bench/gen-capture.py (kept in target/bench/, as for
# decode-vs-peers.sh). tshark runs only on captures of at most TSHARK_MAX frames.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
runs=${RUNS:-5}
tshark_max=${TSHARK_MAX:-100000}
dir=target/bench
mkdir -p "$dir"
cargo build --release --quiet --features parquet
layers=$PWD/target/release/layers
timer=/usr/bin/time
[ -x "$timer" ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
python3 -c "import duckdb" || { echo "needs DuckDB for Python: python3 -m pip install duckdb" >&2; exit 1; }

# The Wireshark fields of the Parquet schema's columns (README, "Large captures").
fields=(frame.number frame.time_epoch frame.len frame.cap_len eth.src eth.dst eth.type vlan.id
  ip.version ip.src ip.dst ip.proto ip.ttl ip.len ip.id ip.flags.df ip.flags.mf ip.frag_offset
  ip.checksum.status tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.flags
  tcp.window_size_value tcp.len tcp.checksum.status udp.srcport udp.dstport udp.length
  udp.checksum.status icmp.type icmp.code arp.opcode dns.qry.name http.request.method
  http.request.uri http.response.code frame.protocols)

# The tshark route: fields as CSV, then DuckDB writes them as zstd Parquet. (A function
# run by /usr/bin/time through bash -c: the fields travel in FIELDS, as arrays cannot.)
export FIELDS="${fields[*]}"
tshark_route() {
  local pcap=$1 out=$2 e=()
  for f in $FIELDS; do e+=(-e "$f"); done
  tshark -r "$pcap" -n -T fields -E header=y -E separator=, -E quote=d -E occurrence=f \
    -o ip.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE "${e[@]}" >"$out.csv" &&
    python3 -c "import duckdb, sys; duckdb.sql(f\"COPY (SELECT * FROM read_csv('{sys.argv[1]}')) TO '{sys.argv[2]}' (FORMAT parquet, COMPRESSION zstd)\")" "$out.csv" "$out" &&
    rm -f "$out.csv"
}
export -f tshark_route

. bench/timing.sh

# measure NAME OUT COMMAND...: median wall seconds of $runs runs, largest peak RSS (KiB),
# and the size of OUT.
measure() {
  local name=$1 out=$2
  shift 2
  timed "$name" "$out" "$@" || return 1
  echo "$name|$MEDIAN|$RSS|$(stat -c %s "$out")"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "peers: $(command -v tshark >/dev/null && tshark --version | head -n1 || echo 'no tshark'); duckdb $(python3 -c 'import duckdb; print(duckdb.__version__)')"
echo "runs: median of $runs; $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for n in "${sizes[@]}"; do
  pcap=$dir/mixed-$n.pcap
  [ -f "$pcap" ] || python3 bench/gen-capture.py "$n" "$pcap" >/dev/null
  results=$dir/parquet-results-$n
  {
    measure "layers decode --parquet" "$dir/layers-$n.parquet" "$layers" decode "$pcap" --parquet "$dir/layers-$n.parquet"
    measure "layers decode --parquet --threads 1" "$dir/layers-$n.parquet" "$layers" decode "$pcap" --parquet "$dir/layers-$n.parquet" --threads 1
    if command -v tshark >/dev/null && (( n <= tshark_max )); then
      measure "tshark -T fields, DuckDB to Parquet" "$dir/tshark-$n.parquet" bash -c 'tshark_route "$0" "$1"' "$pcap" "$dir/tshark-$n.parquet"
    fi
  } >"$results"
  echo
  echo "$n frames, $(stat -c %s "$pcap") bytes ($pcap)"
  awk -F'|' -v n="$n" -v size="$(stat -c %s "$pcap")" '
    { names[NR] = $1; t[NR] = $2; m[NR] = $3; s[NR] = $4 }
    $1 ~ /^tshark/ { ts = $2 }
    END {
      printf "| %-36s | %9s | %13s | %10s | %12s | %9s |\n", "command", "wall", "frames/s", "vs tshark", "output", "peak RSS"
      printf "| %-36s | %9s | %13s | %10s | %12s | %9s |\n", "---", "---:", "---:", "---:", "---:", "---:"
      for (i = 1; i <= NR; i++) {
        vs = (ts > 0 && t[i] > 0) ? sprintf("%.0fx", ts / t[i]) : "-"
        printf "| %-36s | %8.3fs | %13.0f | %10s | %5.1f MB (%.0f%%) | %6.1f MB |\n", names[i], t[i], n / t[i], vs, s[i] / 1e6, 100 * s[i] / size, m[i] / 1024
      }
    }' "$results"
done
echo
echo "output: the Parquet file's size (and its share of the pcap's); vs tshark: how many times"
echo "faster than tshark -T fields and DuckDB's CSV-to-Parquet on the same file."
