#!/usr/bin/env bash
# The ZIM run (scripts/bench --zim): a generated website made into a ZIM by zimwriterfs, then
#   1. imported by Offline Commons (`import FILE.zim`) against `zimdump dump` of the same file to a
#      folder (the issue's target: no slower), each timed with its CPU time and peak RSS, the two
#      alternating BENCH_ZIM_RUNS times (the best of each is kept: the machine may be shared); our
#      JVM's start alone (`--version`, best of as many) is measured too, since zimdump is a native
#      binary: the import is reported with and without it;
#   2. its pages served by our server (from the imported pack) against kiwix-serve (from the ZIM),
#      with wrk, one server under load at a time (target: at least 5x the requests/s).
# Prints the numbers; docs/performance.md ("ZIM") keeps them by hand, with the machine's load.
#
# Environment:
#   BENCH_ZIM_PAGES=2000   generated HTML documents
#   BENCH_ZIM_RUNS=3       imports of each kind (best kept)
#   BENCH_DURATION=10      seconds per measured wrk run (each after a warm-up of BENCH_WARMUP=4)
#   BENCH_KEEP=1           keep the temporary folder
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
PAGES="${BENCH_ZIM_PAGES:-2000}"
RUNS="${BENCH_ZIM_RUNS:-3}"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-4}"
CONNECTIONS=50
THREADS=2

started=$(date +%s)
say() { printf '[zim %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
# shellcheck source=lib.sh
. "$bench/lib.sh"
install_tools
command -v java >/dev/null || die "java (17+) is needed to run Offline Commons"

make_work zim
results="$work/results.txt"
: > "$results"
record() { echo "$1 $2" >> "$results"; }
cpu_of() { awk '/User time/ {u=$NF} /System time/ {s=$NF} END {printf "%.2f", u+s}' "$1"; }

prepare_jar
say "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "generating $PAGES pages"
python3 "$bench/corpus.py" "$work/corpus" --pages "$PAGES" --total-mb 0 > /dev/null
# shellcheck disable=SC1091
. "$work/corpus/paths.env"
rm -rf "$work/corpus/site/video"   # pages, pictures, styles: what a reader asks for
say "zimwriterfs (with its full-text index, as Kiwix's own ZIMs)"
zimwriterfs -w "$PAGE_SMALL" -I "$ICON" -l eng -t "ZIM benchmark" -d "ZIM benchmark" -c bench -p bench \
  -n zim_bench "$work/corpus/site" "$work/bench.zim" > "$work/zimwriterfs.log" 2>&1 \
  || die "zimwriterfs failed: $(tail -3 "$work/zimwriterfs.log")"
record zim.bytes "$(stat -c %s "$work/bench.zim")"
record zim.entries "$(zimdump info "$work/bench.zim" | sed -n 's/^count-entries: //p')"

# best NAME TIMEFILE: keeps the run with the shortest wall time as NAME.{seconds,cpu_seconds,rss_kb}.
best() {
  local wall
  wall=$(elapsed_of "$2")
  if [ -z "${best_wall[$1]:-}" ] || awk -v a="$wall" -v b="${best_wall[$1]}" 'BEGIN {exit !(a < b)}'; then
    best_wall[$1]=$wall
    best_cpu[$1]=$(cpu_of "$2")
    best_rss[$1]=$(rss_of "$2")
  fi
}
declare -A best_wall best_cpu best_rss
for run in $(seq "$RUNS"); do
  say "run $run of $RUNS: zimdump dump of the ZIM to a folder (load $(cut -d' ' -f1 /proc/loadavg))"
  rm -rf "$work/dumped"
  /usr/bin/time -v -o "$work/dump.time" zimdump dump --dir="$work/dumped" "$work/bench.zim" > /dev/null 2>&1 \
    || die "zimdump dump failed"
  best zimdump "$work/dump.time"
  rm -rf "$work/dumped"

  say "run $run of $RUNS: offline-commons import of the same ZIM into an empty library"
  rm -rf "$work/data"
  /usr/bin/time -v -o "$work/import.time" java "${java_opts[@]}" -jar "$jar" import "$work/bench.zim" \
    --data "$work/data" > "$work/import.log" 2>&1 || die "import failed: $(tail -3 "$work/import.log")"
  best ours "$work/import.time"

  /usr/bin/time -v -o "$work/jvm.time" java "${java_opts[@]}" -jar "$jar" --version > /dev/null 2>&1 \
    || die "offline-commons --version failed"
  best jvm "$work/jvm.time"
done
for name in zimdump ours jvm; do
  record "import.$name.seconds" "${best_wall[$name]}"
  record "import.$name.cpu_seconds" "${best_cpu[$name]}"
  record "import.$name.rss_kb" "${best_rss[$name]}"
done
record import.ours_without_jvm_start.seconds "$(awk -v a="${best_wall[ours]}" -v b="${best_wall[jvm]}" 'BEGIN {printf "%.2f", a - b}')"
record import.ours_without_jvm_start.cpu_seconds "$(awk -v a="${best_cpu[ours]}" -v b="${best_cpu[jvm]}" 'BEGIN {printf "%.2f", a - b}')"
say "import, best of $RUNS: ours ${best_wall[ours]} s (${best_cpu[ours]} s CPU; JVM start alone ${best_wall[jvm]} s," \
  "${best_cpu[jvm]} s CPU), zimdump dump ${best_wall[zimdump]} s (${best_cpu[zimdump]} s CPU)"

port=$(free_port)
java "${java_opts[@]}" -jar "$jar" serve --data "$work/data" --port "$port" --bind 127.0.0.1 \
  > "$work/ours.log" 2>&1 &
ours_pid=$!
servers+=("$ours_pid")
ours="http://127.0.0.1:$port/packs/zim-bench/$PAGE_SMALL"
port=$(free_port)
kiwix-serve --nosearchbar -i 127.0.0.1 -p "$port" "$work/bench.zim" > "$work/kiwix.log" 2>&1 &
kiwix_pid=$!
servers+=("$kiwix_pid")
kiwix="http://127.0.0.1:$port/bench/$PAGE_SMALL"
wait_http "$ours"
wait_http "$kiwix"
for url in "$ours" "$kiwix"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || die "$url does not answer 200"
done

# measure NAME URL: warm up, then one wrk run; requests/s recorded.
measure() {
  wrk -t$THREADS -c$CONNECTIONS -d"${WARMUP}s" --timeout 10s "$2" > /dev/null 2>&1 || true
  local rps
  rps=$(wrk -t$THREADS -c$CONNECTIONS -d"${DURATION}s" --timeout 10s "$2" 2>&1 | awk '/^Requests\/sec:/ {print $2}')
  record "serve.$1.rps" "${rps:-0}"
  say "  $1: ${rps:-0} requests/s"
}
say "serving $PAGE_SMALL ($PAGE_SMALL_BYTES bytes), $CONNECTIONS connections, one server at a time"
measure ours "$ours"
measure kiwix "$kiwix"
stop_server "$ours_pid"
stop_server "$kiwix_pid"
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$results"
