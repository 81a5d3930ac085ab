#!/usr/bin/env python3
"""Turns one scale run (bench/scale.sh) into its tables and the "Scale" section of the document.

    scale_report.py RESULTS MACHINE [--doc performance.md]

A run smaller than 1,000,000 pages also shows times and sizes scaled linearly to 1,000,000 and
says so; latencies and memory are not extrapolated (they are the run's own).
"""

import argparse
import os
import sys

START = "<!-- bench:scale:start -->"
END = "<!-- bench:scale:end -->"
MB = 1e6
FULL = 1_000_000


def load(path):
    values = {}
    with open(path) as f:
        for line in f:
            if " " in line:
                k, v = line.rstrip("\n").split(" ", 1)
                values[k] = v
    return values


def num(r, key):
    try:
        return float(r[key])
    except (KeyError, ValueError):
        return None


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return "{:,.{d}f}".format(v, d=digits)


def latency(r, name, pct):
    v = num(r, "%s.%s_us" % (name, pct))
    return v / 1000 if v is not None else None


def rate(r, name):
    n, d = num(r, name + ".requests"), num(r, name + ".duration_us")
    return n / (d / 1e6) if n and d else None


def build(r):
    pages = num(r, "pages") or 0
    files = num(r, "content.files")
    content = num(r, "content.bytes")
    scale = FULL / pages if pages else None
    steps = []
    for key, label in (("pack", "pack (folder to zip)"), ("zimwriterfs", "zimwriterfs (folder to ZIM, full-text index)"),
                       ("unzip", "unzip of the zip"), ("import", "import"), ("list", "list"),
                       ("verify", "verify"), ("export", "export"), ("sync", "sync from the first server")):
        s = num(r, key + ".seconds")
        rss = num(r, key + ".rss_kb")
        steps.append([label, fmt(s, 1), fmt(files / s if files and s else None),
                      fmt(content / MB / s if content and s else None, 1),
                      fmt(rss / 1024 if rss else None), fmt(s * scale if s and scale and scale != 1 else None, 0)])

    zip_b, zim_b, lib_b = num(r, "zip.bytes"), num(r, "zim.bytes"), num(r, "library.bytes")
    sizes = [["content (files on disk)", fmt(content / MB if content else None, 1), ""],
             ["zip (`pack`)", fmt(zip_b / MB if zip_b else None, 1), "1.00 x"],
             ["ZIM (`zimwriterfs`, full-text index included)", fmt(zim_b / MB if zim_b else None, 1),
              "%.2f x" % (zim_b / zip_b) if zim_b and zip_b else "n/a"],
             ["our library (`library.db` and its WAL)", fmt(lib_b / MB if lib_b else None, 1),
              "%.2f x" % (lib_b / zip_b) if lib_b and zip_b else "n/a"]]

    serve = []
    for name, label in (("ours.home", "home page"), ("ours.pack", "pack page"), ("ours.page", "a page of the pack")):
        serve.append([label + ", 1 connection", fmt(latency(r, name, "p50"), 2), fmt(latency(r, name, "p99"), 2),
                      fmt(rate(r, name))])
    for server, label in (("ours", "Offline Commons"), ("kiwix", "kiwix-serve")):
        for conns in (1, 20):
            name = "%s.search%d" % (server, conns)
            serve.append(["fresh search, %s, %d connection%s" % (label, conns, "s" if conns > 1 else ""),
                          fmt(latency(r, name, "p50"), 1), fmt(latency(r, name, "p99"), 1), fmt(rate(r, name), 1)])

    unzip = num(r, "unzip.seconds")
    rss_max = max([v for v in (num(r, k + ".rss_kb") for k in ("pack", "import", "list", "verify", "export", "sync"))
                   if v] + [num(r, "ours.rss_after_sync_kb") or 0]) / 1024
    search20 = rate(r, "ours.search20")
    kiwix20 = rate(r, "kiwix.search20")
    targets = [
        ("Import ≥ 1.0 × unzip", ratio(unzip, num(r, "import.seconds")), lambda v: v >= 1, "%.2f x"),
        ("Export ≥ 1.0 × unzip", ratio(unzip, num(r, "export.seconds")), lambda v: v >= 1, "%.2f x"),
        ("Sync ≥ 1.0 × unzip", ratio(unzip, num(r, "sync.seconds")), lambda v: v >= 1, "%.2f x"),
        ("Peak RSS of every command and the server ≤ 300 MB", rss_max or None, lambda v: v <= 300, "%.0f MB"),
        ("Library ≤ 2 × its zip", ratio(lib_b, zip_b), lambda v: v <= 2, "%.2f x"),
        ("Startup to first 200 ≤ 2 s", num(r, "startup_s"), lambda v: v <= 2, "%.2f s"),
        ("Home, pack and page ≤ 20 ms (p99, 1 connection)",
         max([v for v in (latency(r, n, "p99") for n in ("ours.home", "ours.pack", "ours.page")) if v is not None],
             default=None), lambda v: v <= 20, "%.1f ms"),
        ("Fresh search p50 ≤ 10 ms (1 connection)", latency(r, "ours.search1", "p50"), lambda v: v <= 10, "%.1f ms"),
        ("Fresh search p99 ≤ 100 ms (1 connection)", latency(r, "ours.search1", "p99"), lambda v: v <= 100, "%.1f ms"),
        ("`list` < 1 s", num(r, "list.seconds"), lambda v: v < 1, "%.2f s"),
        ("Fresh search at 20 connections ≥ 100 × kiwix-serve", ratio(search20, kiwix20), lambda v: v >= 100, "%.0f x"),
        ("Export byte-identical to the zip", num(r, "export.identical"), lambda v: v == 1, "%.0f"),
    ]
    verdicts = [[name, "n/a", "NOT MEASURED"] if v is None else [name, show % v, "met" if ok(v) else "MISSED"]
                for name, v, ok, show in targets]
    return steps, sizes, serve, verdicts, pages


def ratio(a, b):
    return a / b if a and b else None


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("machine")
    ap.add_argument("--doc")
    a = ap.parse_args()
    r, m = load(a.results), load(a.machine)
    steps, sizes, serve, verdicts, pages = build(r)
    extrapolated = "seconds at 1,000,000 pages (linear)" if pages and pages != FULL else "(full size)"
    body = "\n\n".join([
        "Latest scale run: %s, %s pages, %s s in all; %s, Java options of the launcher (%s)."
        % (m.get("date", "?"), fmt(pages), m.get("total_seconds", "?"), m.get("cpu", "?"), m.get("java_opts", "?")),
        md_table(["step", "seconds", "files/s", "MB/s", "peak RSS (MB)", extrapolated], steps),
        md_table(["stored as", "MB", "against the zip"], sizes),
        md_table(["request", "p50 (ms)", "p99 (ms)", "requests/s"], serve),
        md_table(["target", "this run", ""], verdicts),
    ] + ([("This run had %s pages, not 1,000,000: the last column of the first table scales its times "
           "linearly; latencies, sizes and memory are this run's own." % fmt(pages))] if pages != FULL else []))
    print(body)
    if a.doc:
        section = START + "\n" + body + "\n" + END
        text = open(a.doc).read() if os.path.exists(a.doc) else "# Performance\n"
        if START in text and END in text:
            text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n## Scale\n\nWritten by `scripts/bench --scale`.\n\n" + section + "\n"
        with open(a.doc, "w") as f:
            f.write(text)


if __name__ == "__main__":
    sys.exit(main())
