# Shared by the bench/ scripts: timing, statistics and the machine line.
# shellcheck shell=bash

# time_of CMD...: runs CMD with its output to the log, prints its wall time in seconds.
time_of() {
  local start end
  start=$(date +%s.%N)
  "$@" >>"$BENCH_LOG" 2>&1 || { echo "bench: '$*' failed; see $BENCH_LOG" >&2; tail -20 "$BENCH_LOG" >&2; return 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}'
}

# stats T...: "median min max": two decimals under 10 s (so sub-second ratios mean something), else one.
stats() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; f=(m<10)?"%.2f %.2f %.2f":"%.1f %.1f %.1f"; printf f, m, a[1], a[NR]}'
}

machine() { echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, ${1^^}"; }

# row LABEL RUNS ACCEL RATIO_TEXT TIMES...: one Markdown row.
row() {
  local label=$1 runs=$2 accel=$3 ratio=$4
  shift 4
  local m mn mx
  read -r m mn mx <<<"$(stats "$@")"
  echo "| $label | $(machine "$accel") | $runs | ${m} s (${mn}-${mx}) | $ratio |"
}

ratio() { awk -v p="$(stats "${@:2}" | cut -d' ' -f1)" -v b="$1" 'BEGIN{printf "%.2f", p/b}'; }
