#!/usr/bin/env bash
# The relevance run (scripts/bench --relevance): do the right pages come first? Judged query sets
# (bench/relevance/*.tsv) asked of our server and of kiwix-serve on the same content:
#   postgresql  PostgreSQL's HTML manual (Debian postgresql-doc-15), about 1,170 pages
#   git         Git's HTML manual (Debian git-doc, the top-level pages), about 200 pages
#   python      Python 3.11's documentation (Debian python3.11-doc), a Sphinx site packed whole
#               (530 pages beside their _sources copies, _static and genindex pages)
#   wiki        a real Wikibooks ZIM (Belarusian, ../shared/zim-samples), about 70 articles
# Each manual is packed from its folder by `offline-commons pack` and made into a ZIM of the same
# folder by zimwriterfs (with its full-text index) for kiwix-serve; the Wikibooks ZIM gets a
# full-text index the same way (the sample has none), and that one ZIM is imported into ours and
# served by kiwix-serve. bench/relevance.py asks the queries and prints success@3 and MRR@10 of
# both, with each query's ranks. About 1.5 minutes (3.5 the first time, while zimwriterfs builds
# the ZIMs); docs/performance.md ("Relevance") keeps the figures by hand.
#
# Environment:
#   BENCH_ZIM_SAMPLES=DIR       the zim-samples folder (default: ../shared/zim-samples of the repo)
#   BENCH_RELEVANCE_CACHE=DIR   where built ZIMs are kept between runs, keyed by their content
#                               (default: ~/.cache/offline-commons-relevance); packs are always
#                               built afresh, since they depend on our code
#   BENCH_RELEVANCE_OUT=FILE    also write the report (Markdown) to FILE
#   BENCH_KEEP=1                keep the temporary folder (sites, packs, library, logs)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
sets="$bench/relevance"
samples="${BENCH_ZIM_SAMPLES:-$root/../shared/zim-samples}"
wiki_sample="$samples/nons/wikibooks_be_all_nopic_2017-02.zim"
cache="${BENCH_RELEVANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/offline-commons-relevance}"

started=$(date +%s)
say() { printf '[relevance %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
record() { :; }
# shellcheck source=lib.sh
. "$bench/lib.sh"

missing=()
command -v kiwix-serve >/dev/null || missing+=(kiwix-tools)
command -v zimwriterfs >/dev/null || missing+=(zim-tools)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
[ -d /usr/share/doc/postgresql-doc-15/html ] || missing+=(postgresql-doc-15)
[ -f /usr/share/doc/git-doc/git-branch.html ] || missing+=(git-doc)
[ -f /usr/share/doc/python3.11-doc/html/index.html ] || missing+=(python3.11-doc)
apt_install "${missing[@]}"
command -v java >/dev/null || die "java (17+) is needed to run Offline Commons"

make_work relevance

prepare_jar --no-cds
mkdir -p "$cache"

# zim NAME DIR WELCOME ILLUSTRATION LANGUAGE TITLE: the ZIM of folder DIR, built by zimwriterfs
# once per content (file names and bytes) and zimwriterfs version, then taken from the cache.
zim() {
  local name="$1" dir="$2" welcome="$3" illustration="$4" language="$5" title="$6" key out
  key=$( { zimwriterfs --version 2>&1 | head -1; echo "$welcome $illustration $language $title";
           (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha1sum); } | sha1sum | cut -c1-16)
  out="$cache/$name-$key.zim"
  if [ ! -f "$out" ]; then
    say "zimwriterfs: $name (with its full-text index)"
    rm -f "$cache/$name"-*.zim
    zimwriterfs -w "$welcome" -I "$illustration" -l "$language" -t "$title" -d "$title" -c bench -p bench \
      -n "$name" "$dir" "$out.tmp" > "$work/zimwriterfs-$name.log" 2>&1 \
      || die "zimwriterfs failed for $name: $(tail -3 "$work/zimwriterfs-$name.log")"
    mv "$out.tmp" "$out"
  fi
  # kiwix-serve names a book after its file: NAME.zim is served as /search?content=NAME
  ln -s "$out" "$work/zims/$name.zim"
}

# A 48x48 PNG, which zimwriterfs insists on as the ZIM's illustration; it goes into the ZIM's copy
# of a folder only, not into our pack.
illustration() {
  python3 - "$1" <<'EOF'
import struct, sys, zlib
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
rows = b"".join(b"\x00" + b"\x30\x60\x90" * 48 for _ in range(48))
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 48, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
EOF
}

say "copying the sites"
mkdir -p "$work/sites/postgresql" "$work/sites/git" "$work/sites/python" "$work/zims" "$work/packs"
cp -rL /usr/share/doc/postgresql-doc-15/html/. "$work/sites/postgresql/"
cp -rL /usr/share/doc/python3.11-doc/html/. "$work/sites/python/"
# Git's manual: the top-level pages and their stylesheet; its .txt sources, release notes and
# howto/technical folders are left out (index.html, Debian's link to git.html, is copied as a file).
cp -L /usr/share/doc/git-doc/*.html /usr/share/doc/git-doc/docbook-xsl.css "$work/sites/git/"

set_args=()
for site in postgresql git python; do
  mkdir -p "$work/zim-src/$site"
  cp -al "$work/sites/$site/." "$work/zim-src/$site/"
  illustration "$work/zim-src/$site/zim-illustration-48.png"
  zim "$site" "$work/zim-src/$site" index.html zim-illustration-48.png eng "$site manual"
  say "offline-commons pack: $site"
  oc pack "$work/sites/$site" --id "$site" --title "$site manual" --language en \
    --out "$work/packs/$site.zip" > "$work/pack-$site.log" 2>&1 || die "pack failed: $(tail -3 "$work/pack-$site.log")"
  set_args+=(--set "$site" "$sets/$site.tsv" "$site" "$site" --check-dir "$site" "$work/sites/$site")
done
imports=("$work/packs/postgresql.zip" "$work/packs/git.zip" "$work/packs/python.zip")

if [ -f "$wiki_sample" ]; then
  say "zimdump dump of the Wikibooks sample"
  zimdump dump --dir="$work/sites/wiki" "$wiki_sample" > "$work/zimdump.log" 2>&1 \
    || die "zimdump dump failed: $(tail -3 "$work/zimdump.log")"
  zim wiki "$work/sites/wiki" "Першая_старонка.html" favicon.png bel "Wikibooks (be)"
  imports+=("$work/zims/wiki.zim")
else
  say "WARNING: $wiki_sample not found (BENCH_ZIM_SAMPLES); the wiki set is skipped"
fi

say "offline-commons import"
oc import "${imports[@]}" --data "$work/data" > "$work/import.log" 2>&1 \
  || die "import failed: $(tail -3 "$work/import.log")"
if [ -f "$wiki_sample" ]; then
  wiki_pack=$(sed -n "s/^wiki.zim: imported '\([^']*\)'.*/\1/p" "$work/import.log" | tail -1)
  [ -n "$wiki_pack" ] || die "no pack id for wiki.zim in $work/import.log"
  set_args+=(--set wiki "$sets/wiki.tsv" "$wiki_pack" wiki --check-dir wiki "$work/sites/wiki")
fi

mkdir -p "$work/no-packs"
port=$(free_port)
java "${java_opts[@]}" -jar "$jar" serve --data "$work/data" --port "$port" --bind 127.0.0.1 \
  --packs "$work/no-packs" > "$work/ours.log" 2>&1 &
ours_pid=$!
servers+=("$ours_pid")
ours_url="http://127.0.0.1:$port"
port=$(free_port)
kiwix-serve -i 127.0.0.1 -p "$port" "$work"/zims/*.zim > "$work/kiwix.log" 2>&1 &
kiwix_pid=$!
servers+=("$kiwix_pid")
kiwix_url="http://127.0.0.1:$port"
wait_http "$ours_url/api/v1/packs"
wait_http "$kiwix_url/"

python3 "$bench/relevance.py" --self-test >&2 || die "the scorer's self-test failed"
say "asking the judged queries"
report_args=()
[ -n "${BENCH_RELEVANCE_OUT:-}" ] && report_args=(--markdown "$BENCH_RELEVANCE_OUT")
python3 "$bench/relevance.py" --ours "$ours_url" --kiwix "$kiwix_url" \
  --kiwix-version "$(kiwix-serve --version 2>&1 | grep -m1 kiwix-tools) (libkiwix $(kiwix-serve --version 2>&1 \
    | sed -n 's/^libkiwix //p' | head -1), Xapian $(kiwix-serve --version 2>&1 | sed -n 's/^+ libxapian //p' | head -1))" \
  "${set_args[@]}" "${report_args[@]}"
stop_server "$ours_pid"
stop_server "$kiwix_pid"
say "done"
