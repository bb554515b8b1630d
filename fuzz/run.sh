#!/usr/bin/env bash
# Runs one fuzz target (or all) on the stable toolchain, with memory and time blow-ups
# counted as findings. Usage:
#   fuzz/run.sh TARGET [-runs=N | -max_total_time=S] ...   (extra flags go to libFuzzer)
#   fuzz/run.sh all -max_total_time=60                     (each target in turn, as CI does)
# Seed corpora are made from fixtures/ on each run (fuzz/corpus/ is not committed); a
# finding is written to fuzz/artifacts/TARGET/ and makes the script fail.
set -euo pipefail
cd "$(dirname "$0")"
TARGETS=(decode pcap pcapng hex quiz topology encode filter)
target=${1:?"usage: fuzz/run.sh TARGET|all [libFuzzer flags]"}
shift

seed() {
  local t=$1 dir=corpus/$1
  mkdir -p "$dir"
  case $t in
    decode|pcap|pcapng)
      cp ../fixtures/*.pcap ../fixtures/*.pcapng "$dir"/
      cp ../fixtures/seed-arp.hex "$dir"/ ;;
    hex)
      cp ../fixtures/seed-arp.hex "$dir"/
      for f in ../fixtures/loopback-udp-hello.pcap ../fixtures/fcs.pcap; do
        b=$(basename "$f")
        od -An -tx1 -v "$f" > "$dir/$b.od"
        command -v xxd >/dev/null && xxd "$f" > "$dir/$b.xxd"
        command -v hexdump >/dev/null && hexdump -C "$f" > "$dir/$b.hexdump"
      done ;;
    quiz)
      printf '\x03\x00application, transport' > "$dir/set"
      printf '\x00\x00 应用层' > "$dir/zh"
      cp ../fixtures/crafted-80211.pcap "$dir"/ ;;
    topology)
      cp ../fixtures/topologies/*.toml "$dir"/ ;;
    filter)
      # Every expression of the tcpdump comparison, each before a frame from the fixtures.
      local n=0
      grep -oE '^    "[^"]*",$' ../tests/filter.rs | sed -E 's/^    "(.*)",$/\1/' | while IFS= read -r e; do
        n=$((n + 1))
        { printf '%s\0' "$e"; head -c 1514 ../fixtures/loopback-tcp-hello.pcap | tail -c +41; } > "$dir/expr-$n"
      done ;;
    encode)
      printf -- '--proto\nudp\n--to\n10.0.0.1:53\n--payload\n你好\n' > "$dir/udp"
      printf -- '--proto\narp\n' > "$dir/arp"
      printf -- '--fault\nbad-ip-checksum\n--fcs\n--diagram\n' > "$dir/fault"
      printf -- '--from\n10.1.2.3/8:1234\n--gateway\n10.0.0.1\n--vlan\n7\n--explain\n' > "$dir/vlan" ;;
  esac
}

run() {
  local t=$1
  shift
  seed "$t"
  mkdir -p "artifacts/$t"
  cargo fuzz build "$t" --sanitizer none -O
  echo "fuzz $t: $*"
  # libFuzzer's progress lines go to a log; the summary is printed, the log's end on a finding.
  if ! cargo fuzz run "$t" --sanitizer none -O "corpus/$t" -- \
    -rss_limit_mb=512 -timeout=2 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" "$@" > "artifacts/$t/log" 2>&1; then
    tail -n 60 "artifacts/$t/log"
    echo "fuzz $t: a finding, in fuzz/artifacts/$t/" >&2
    return 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "artifacts/$t/log"
}

if [ "$target" = all ]; then
  for t in "${TARGETS[@]}"; do run "$t" "$@"; done
else
  run "$target" "$@"
fi
