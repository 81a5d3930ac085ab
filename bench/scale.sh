#!/usr/bin/env bash
# The scale run (scripts/bench --scale): a deterministic website of many small pages is packed,
# imported, listed, served, searched, synced to a second library, exported and verified, each
# timed with its peak RSS, beside unzip of the same zip, zimwriterfs of the same folder and
# kiwix-serve on that ZIM. Writes the "Scale" section of docs/performance.md.
#
# Environment:
#   BENCH_SCALE_PAGES=1000000  pages in the corpus (the report extrapolates a smaller run and says so)
#   BENCH_DURATION=10          seconds per measured wrk run
#   BENCH_KEEP=1               keep the temporary folder
#   BENCH_DOC=0                do not rewrite docs/performance.md
#   BENCH_NO_ZIM=1             skip zimwriterfs and kiwix-serve (their rows then say "not measured")
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
PAGES="${BENCH_SCALE_PAGES:-1000000}"
DURATION="${BENCH_DURATION:-10}"
PACK_ID=scale-corpus

started=$(date +%s)
say() { printf '[scale %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
# shellcheck source=lib.sh
. "$bench/lib.sh"
install_tools
command -v java >/dev/null || die "java (17+) is needed to run Offline Commons"

make_work scale
results="$work/results.txt"
: > "$results"
record() { echo "$1 $2" >> "$results"; }

prepare_jar
{
  echo "date $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "nproc $(nproc)"
  echo "cpu $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  echo "java $(java -version 2>&1 | head -1)"
  echo "java_opts ${java_opts[*]}"
  echo "kiwix $(kiwix-serve --version 2>&1 | grep -m1 kiwix-tools)"
  echo "load_start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "duration $DURATION"
} > "$work/machine.txt"

# timed NAME COMMAND...: wall-clock seconds and peak RSS of one command, recorded as NAME.*
timed() {
  local name="$1"
  shift
  /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.log" 2>&1 \
    || die "$name failed: $(tail -3 "$work/$name.log")"
  record "$name.seconds" "$(elapsed_of "$work/$name.time")"
  record "$name.rss_kb" "$(rss_of "$work/$name.time")"
  say "  $name: $(elapsed_of "$work/$name.time") s, peak RSS $(( $(rss_of "$work/$name.time") / 1024 )) MB"
}
library_bytes() { find "$1" -maxdepth 1 -name 'library.db*' -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}'; }

say "generating $PAGES pages"
python3 "$bench/scale_corpus.py" "$work/corpus" --pages "$PAGES"
# shellcheck disable=SC1091
. "$work/corpus/paths.env"
site="$work/corpus/site"
record pages "$PAGES"
record content.bytes "$(find "$site" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}')"
record content.files "$(find "$site" -type f | wc -l)"

say "pack, zimwriterfs, unzip"
timed pack java "${java_opts[@]}" -jar "$jar" pack "$site" --id "$PACK_ID" --title "Scale corpus" --out "$work/scale.zip"
record zip.bytes "$(stat -c %s "$work/scale.zip")"
if [ "${BENCH_NO_ZIM:-0}" != 1 ]; then
  timed zimwriterfs zimwriterfs -w "$ENTRY" -I "$ICON" -l eng -t "Scale corpus" \
    -d "Scale corpus" -c bench -p bench -n "$PACK_ID" "$site" "$work/scale.zim"
  [ -f "$work/scale.zim" ] && record zim.bytes "$(stat -c %s "$work/scale.zim")"
fi
timed unzip unzip -q "$work/scale.zip" -d "$work/unzipped"
rm -rf "$work/unzipped"

say "import, list, verify, export"
timed import java "${java_opts[@]}" -jar "$jar" import "$work/scale.zip" --data "$work/data-a"
record library.bytes "$(library_bytes "$work/data-a")"
timed list java "${java_opts[@]}" -jar "$jar" list --data "$work/data-a"
timed verify java "${java_opts[@]}" -jar "$jar" verify --data "$work/data-a"
timed export java "${java_opts[@]}" -jar "$jar" export "$PACK_ID" --out "$work/exported.zip" --data "$work/data-a"
cmp -s "$work/scale.zip" "$work/exported.zip" && record export.identical 1 || record export.identical 0
rm -f "$work/exported.zip"

say "serving"
mkdir -p "$work/no-packs"
port=$(free_port)
t0=$(date +%s%N)
java "${java_opts[@]}" -jar "$jar" serve --data "$work/data-a" --port "$port" --bind 127.0.0.1 \
  --packs "$work/no-packs" --no-discovery > "$work/ours.log" 2>&1 &
ours_pid=$!
servers+=("$ours_pid")
record startup_s "$(python3 "$bench/wait200.py" "http://127.0.0.1:$port/" "$t0" 120)"
ours_url="http://127.0.0.1:$port"

mkdir -p "$work/lua"
cp "$bench/report.lua" "$work/lua/plain.lua"
cat "$bench/search.lua" "$bench/report.lua" > "$work/lua/search.lua"
# wrk_run NAME CONNECTIONS SCRIPT URL [args]: one measured run, its RESULT line recorded as NAME.*
wrk_run() {
  local name="$1" conns="$2" script="$3" url="$4" line kv
  shift 4
  line=$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${DURATION}s" --timeout 10s \
    ${WRK_HEADER:+-H "$WRK_HEADER"} -s "$work/lua/$script.lua" "$url" -- "$@" 2>&1 | grep '^RESULT ' | tail -1) \
    || { say "WARNING: no result for $name"; return 0; }
  for kv in ${line#RESULT }; do record "$name.${kv%%=*}" "${kv#*=}"; done
  say "  $name: $line"
}

# Pages: the JVM first compiles its hot code (a school's server runs for hours), then one
# connection measures the time at the server plus loopback.
for page in "home /" "pack /pack/$PACK_ID" "page /packs/$PACK_ID/$PAGE"; do
  read -r name path <<<"$page"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$ours_url$path")
  [ "$code" = 200 ] || { say "WARNING: $path answered $code"; continue; }
  wrk -t1 -c4 -d3s "$ours_url$path" > /dev/null 2>&1 || true
  wrk_run "ours.$name" 1 plain "$ours_url$path"
done

# Fresh search: every query different, and "Cache-Control: no-cache" so no answer is reused.
queries="$work/corpus/queries.txt"
head -n 2000 "$queries" > "$work/warm-queries.txt"
tail -n +2001 "$queries" > "$work/fresh-queries.txt"
WRK_HEADER="Cache-Control: no-cache" wrk -t2 -c4 -d5s -s "$work/lua/search.lua" "$ours_url" -- \
  "/api/v1/search?q=%s" "$work/warm-queries.txt" > /dev/null 2>&1 || true
for conns in 1 20; do
  WRK_HEADER="Cache-Control: no-cache" wrk_run "ours.search$conns" "$conns" search "$ours_url" \
    "/api/v1/search?q=%s" "$work/fresh-queries.txt"
done
record ours.rss_kb "$(peak_rss_kb "$ours_pid")"

if [ -f "$work/scale.zim" ]; then
  port=$(free_port)
  kiwix-serve --nosearchbar -i 127.0.0.1 -p "$port" "$work/scale.zim" > "$work/kiwix.log" 2>&1 &
  kiwix_pid=$!
  servers+=("$kiwix_pid")
  kiwix_url="http://127.0.0.1:$port"
  wait_http "$kiwix_url/"
  for conns in 1 20; do
    wrk_run "kiwix.search$conns" "$conns" search "$kiwix_url" \
      "/search?content=scale&pageLength=20&pattern=%s" "$work/fresh-queries.txt"
  done
  record kiwix.rss_kb "$(peak_rss_kb "$kiwix_pid")"
  stop_server "$kiwix_pid"
fi

say "sync into a second library"
timed sync java "${java_opts[@]}" -jar "$jar" sync "$ours_url" --data "$work/data-b"
record ours.rss_after_sync_kb "$(peak_rss_kb "$ours_pid")"
stop_server "$ours_pid"

echo "load_end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/machine.txt"
echo "total_seconds $(( $(date +%s) - started ))" >> "$work/machine.txt"
doc_args=()
[ "${BENCH_DOC:-1}" != 0 ] && doc_args=(--doc "$root/docs/performance.md")
python3 "$bench/scale_report.py" "$results" "$work/machine.txt" "${doc_args[@]}"
say "done"
