# Shell functions shared by scripts/bench and bench/*.sh; sourced, never run. Expects
# $root, $bench, $work, say, die and record from the script that sources it.

# Installs the tools a run needs that are missing (apt-get; root or sudo).
install_tools() {
  need_packages=()
  need() { command -v "$1" >/dev/null 2>&1 || need_packages+=("$2"); }
  need nginx nginx
  need wrk wrk
  need kiwix-serve kiwix-tools
  need zimwriterfs zim-tools
  need gnuplot gnuplot-nox
  need unzip unzip
  need curl curl
  need python3 python3
  [ -x /usr/bin/time ] || need_packages+=(time)
  apt_install "${need_packages[@]}"
}

# Installs Debian packages (apt-get; root or sudo); nothing to do without arguments.
apt_install() {
  [ $# -gt 0 ] || return 0
  say "installing $*"
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "$@" >&2
}

# Makes the run's temporary folder $work (oc-NAME.XXXXXX under $TMPDIR) and the list $servers;
# on exit, every server started is stopped and the folder removed (kept with BENCH_KEEP=1).
make_work() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/oc-$1.XXXXXX")"
  servers=()
  trap cleanup_work EXIT
  trap 'exit 130' INT TERM
}

cleanup_work() {
  local pid
  for pid in "${servers[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Stops a server we started, by its pid, and forgets it.
stop_server() {
  local pid="$1" i
  kill "$pid" 2>/dev/null || true
  for i in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local kept=()
  for i in "${servers[@]:-}"; do [ "$i" != "$pid" ] && [ -n "$i" ] && kept+=("$i"); done
  servers=("${kept[@]:-}")
}

# Peak resident memory (kB) of a process and its children: VmHWM is the kernel's high-water mark.
peak_rss_kb() {
  local total=0 pid hwm
  for pid in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$(( total + ${hwm:-0} ))
  done
  echo "$total"
}

wait_http() {
  local url="$1" tries
  for tries in $(seq 600); do
    curl -s -o /dev/null "$url" && return 0
    sleep 0.1
  done
  die "no answer from $url"
}

# CPU time (clock ticks, user + system) used so far by a server and its child processes.
cpu_ticks() {
  local total=0 pid t
  for pid in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$(( total + ${t:-0} ))
  done
  echo "$total"
}
elapsed_of() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" \
  | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
rss_of() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

# Builds the jar when the sources are newer, copies it into $work (a rebuild mid-run cannot change
# what is measured) and sets $jar, $java_opts (the launcher's defaults, plus a CDS archive) and oc.
# With --no-cds, no CDS archive: for runs that measure no start-up or speed (bench/relevance.sh).
# BENCH_JAR=FILE measures that jar instead (a before/after pair from two builds, in one minute).
prepare_jar() {
  jar="${BENCH_JAR:-$root/target/offline-commons.jar}"
  if [ -z "${BENCH_JAR:-}" ] && { [ ! -f "$jar" ] \
      || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; }; then
    say "building $jar"
    (cd "$root" && { mvn -q -B -o -Dmaven.test.skip=true package || mvn -q -B -Dmaven.test.skip=true package; }) >&2 \
      || die "the build failed"
  fi
  cp "$jar" "$work/offline-commons.jar"   # a rebuild by someone else mid-run cannot change what we measure
  jar="$work/offline-commons.jar"
  # What users run: the launcher's default JVM options (scripts/java-opts, -Xmx256m among them).
  read -r -a java_opts <<<"$(grep -v '^#' "$root/scripts/java-opts" | tr '\n' ' ')"
  # BENCH_JAVA_OPTS="..." adds (or overrides, coming last) options: one jar with and without a flag.
  [ -n "${BENCH_JAVA_OPTS:-}" ] && read -r -a extra_opts <<<"$BENCH_JAVA_OPTS" && java_opts+=("${extra_opts[@]}")
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  oc() { java "${java_opts[@]}" -jar "$jar" "$@"; }
  [ "${1:-}" = --no-cds ] && return 0
  # ...and, as the Debian package does at install, a class-data-sharing archive for faster starts.
  say "preparing the class-data-sharing archive (scripts/cds-archive)"
  if "$root/scripts/cds-archive" "$jar" "$work/offline-commons.jsa" "${java_opts[@]}"; then
    java_opts+=("-XX:SharedArchiveFile=$work/offline-commons.jsa")
    record ours.cds 1
  fi
}
