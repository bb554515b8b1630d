# Sourced by the bench scripts: `timed NAME CLEAN COMMAND...` runs COMMAND $runs times
# (removing the path CLEAN first, if it is not empty) under GNU time, and sets MEDIAN (the
# median wall seconds) and RSS (the largest peak RSS, KiB). Needs $runs, $dir and $timer.
timed() {
  local name=$1 clean=$2 times=() m
  shift 2
  RSS=0
  for _ in $(seq "$runs"); do
    [ -n "$clean" ] && rm -rf "$clean"
    local t0 t1
    t0=$(date +%s%N)
    "$timer" -f "%M" -o "$dir/time.out" "$@" >/dev/null 2>"$dir/stderr.out" || {
      echo "$name failed: $(tail -n 3 "$dir/stderr.out")" >&2
      return 1
    }
    t1=$(date +%s%N)
    read -r m <"$dir/time.out"
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    (( m > RSS )) && RSS=$m
  done
  MEDIAN=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
}
