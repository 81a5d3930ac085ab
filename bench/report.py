#!/usr/bin/env python3
"""Turns one scripts/bench run into the comparison table, the target verdicts and the plot.

    report.py RESULTS MACHINE [--plot-data FILE --gnuplot SCRIPT] [--doc performance.md --png performance.png]

RESULTS holds "key value" lines written by scripts/bench; MACHINE describes the machine. The
table goes to stdout; with --doc, the part of the document between the bench markers is
replaced by it (the analysis around it is left alone).
"""

import argparse
import os
import subprocess
import sys

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"
MB = 1e6

WORKLOADS = [  # key, label, what one request is
    ("page30k", "30 KB HTML page", "req/s"),
    ("page750k", "750 KB HTML page", "req/s"),
    ("video", "1 MiB ranges of a 100 MiB video", "req/s"),
    ("missing", "404 (missing page)", "req/s"),
    ("search", "Full-text search, 50 connections", "queries/s"),
]
SERVERS = [("ours", "Offline Commons"), ("nginx", "nginx"), ("kiwix", "kiwix-serve")]


def load(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if " " in line:
                k, v = line.split(" ", 1)
                values[k] = v
    return values


def num(values, key):
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return None


def rate(r, server, workload):
    n = num(r, "%s.%s.requests" % (server, workload))
    us = num(r, "%s.%s.duration_us" % (server, workload))
    return n / (us / 1e6) if n is not None and us else None


def mbps(r, server, workload):
    b = num(r, "%s.%s.bytes" % (server, workload))
    us = num(r, "%s.%s.duration_us" % (server, workload))
    return b / MB / (us / 1e6) if b is not None and us else None


def ms(r, server, workload, pct):
    v = num(r, "%s.%s.%s_us" % (server, workload, pct))
    return v / 1000 if v is not None else None


def cpu_ms(r, server, workload):
    """User + system CPU time of the server per request: steadier than req/s on a busy machine."""
    ticks = num(r, "%s.%s.cpu_ticks" % (server, workload))
    n = num(r, "%s.%s.requests" % (server, workload))
    return ticks * 1000.0 / os.sysconf("SC_CLK_TCK") / n if ticks is not None and n else None


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    if digits == 0:
        return "{:,.0f}".format(v)
    return "{:,.{}f}".format(v, digits)


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_ratio(v):
    if v is None:
        return "n/a"
    return "%.3f×" % v if v < 0.1 else "%.2f×" % v if v < 10 else "%.0f×" % v


def build(r, m):
    serving = []
    for key, label, unit in WORKLOADS:
        rates = {s: rate(r, s, key) for s, _ in SERVERS}
        row = [label + " (" + unit + ")"] + [fmt(rates[s]) for s, _ in SERVERS]
        row += [fmt_ratio(ratio(rates["ours"], rates["nginx"])), fmt_ratio(ratio(rates["ours"], rates["kiwix"]))]
        serving.append(row)
    floor = rate(r, "ours", "floor")
    serving.append(["Javalin floor: 9 KB stylesheet from memory (req/s)", fmt(floor), "", "",
                    fmt_ratio(ratio(floor, rate(r, "nginx", "page30k"))) + " (vs 30 KB)" if floor else "", ""])
    for key, label in (("page750k", "750 KB page"), ("video", "video ranges")):
        v = {s: mbps(r, s, key) for s, _ in SERVERS}
        serving.append([label + " (MB/s)"] + [fmt(v[s]) for s, _ in SERVERS]
                       + [fmt_ratio(ratio(v["ours"], v["nginx"])), fmt_ratio(ratio(v["ours"], v["kiwix"]))])
    fresh = rate(r, "ours", "searchu")
    if fresh is not None:
        serving.append(["Full-text search, 50 connections, every answer computed afresh (queries/s)", fmt(fresh),
                        "n/a", fmt(rate(r, "kiwix", "search")), "n/a",
                        fmt_ratio(ratio(fresh, rate(r, "kiwix", "search")))])
    for key, label in (("search", "50 connections"), ("searchu", "50 connections, computed afresh"),
                       ("search1", "1 connection"), ("search1u", "1 connection, computed afresh")):
        if key.endswith("u") and num(r, "ours.%s.requests" % key) is None:
            continue
        kiwix_key = key.rstrip("u")
        for pct in ("p50", "p99"):
            v = {s: ms(r, s, key if s == "ours" else kiwix_key, pct) for s, _ in SERVERS}
            serving.append(["Search %s latency, %s (ms, lower is better)" % (pct, label)]
                           + [fmt(v[s], 1) for s, _ in SERVERS] + ["", fmt_ratio(ratio(v["ours"], v["kiwix"]))])
    for key, label, _ in WORKLOADS:
        v = {s: cpu_ms(r, s, key) for s, _ in SERVERS}
        serving.append(["Server CPU per request, %s (ms)" % label.split(",")[0].replace(" (missing page)", "")]
                       + [fmt(v[s], 3) for s, _ in SERVERS]
                       + [fmt_ratio(ratio(v["ours"], v["nginx"])), fmt_ratio(ratio(v["ours"], v["kiwix"]))])
    rss = {s: num(r, s + ".rss_kb") for s, _ in SERVERS}
    serving.append(["Peak RSS of the server (MB)"] + [fmt(rss[s] * 1024 / MB if rss[s] else None) for s, _ in SERVERS]
                   + ["", ""])

    content = num(r, "content.bytes")
    zip_bytes = num(r, "zip.bytes")
    imp = num(r, "import.ours.seconds")
    unz = num(r, "import.unzip.seconds")
    imp_rate = content / MB / imp if content and imp else None
    unz_rate = content / MB / unz if content and unz else None
    sync_s = num(r, "sync.ours.seconds")
    curl_s = num(r, "sync.curl.seconds")
    sync_rate = content / MB / sync_s if content and sync_s else None
    curl_rate = zip_bytes / MB / curl_s if zip_bytes and curl_s else None
    sync_note = ("not available in this build" if "sync.ours.unavailable" in r
                 else "failed (see the run's log)" if "sync.ours.failed" in r else "")
    other = [
        ["Import of the %s MB pack (MB/s)" % fmt(content / MB if content else None), fmt(imp_rate), "unzip: " + fmt(unz_rate),
         fmt_ratio(ratio(imp_rate, unz_rate)), "%s s against %s s" % (fmt(imp, 1), fmt(unz, 1))],
        ["Import peak RSS (MB)", fmt(num(r, "import.ours.rss_kb") * 1024 / MB if num(r, "import.ours.rss_kb") else None),
         "", "", "java with scripts/java-opts"],
        ["Sync of the pack between two servers (MB/s)", sync_note or fmt(sync_rate), "curl from nginx: " + fmt(curl_rate),
         fmt_ratio(ratio(sync_rate, curl_rate)), "" if sync_note else "%s s against %s s" % (fmt(sync_s, 1), fmt(curl_s, 1))],
        ["Startup to first 200 (s)", fmt(num(r, "ours.startup_s"), 2), "", "",
         "library holding the %s MB pack%s" % (fmt(content / MB if content else None),
                                                  ", class-data-sharing archive" if "ours.cds" in r else "")],
    ]

    ours30 = rate(r, "ours", "page30k")
    ours750 = rate(r, "ours", "page750k")
    targets = [
        ("30 KB page ≥ 0.5 × nginx", ratio(ours30, rate(r, "nginx", "page30k")), lambda v: v >= 0.5, fmt_ratio),
        ("30 KB page ≥ 5 × kiwix-serve", ratio(ours30, rate(r, "kiwix", "page30k")), lambda v: v >= 5, fmt_ratio),
        ("750 KB page ≥ 0.5 × nginx", ratio(ours750, rate(r, "nginx", "page750k")), lambda v: v >= 0.5, fmt_ratio),
        ("Search queries/s ≥ 20 × kiwix-serve", ratio(rate(r, "ours", "search"), rate(r, "kiwix", "search")),
         lambda v: v >= 20, fmt_ratio),
        ("Search p50 ≤ 10 ms (50 connections)", ms(r, "ours", "search", "p50"), lambda v: v <= 10,
         lambda v: fmt(v, 1) + " ms"),
        ("Search p99 ≤ 50 ms (50 connections)", ms(r, "ours", "search", "p99"), lambda v: v <= 50,
         lambda v: fmt(v, 1) + " ms"),
        ("Import ≥ 1.0 × unzip", ratio(imp_rate, unz_rate), lambda v: v >= 1.0, fmt_ratio),
        ("Sync ≥ 0.5 × curl from nginx", ratio(sync_rate, curl_rate), lambda v: v >= 0.5, fmt_ratio),
        ("Startup to first 200 ≤ 2 s", num(r, "ours.startup_s"), lambda v: v <= 2, lambda v: fmt(v, 2) + " s"),
        ("Server peak RSS ≤ 300 MB", rss["ours"] * 1024 / MB if rss["ours"] else None, lambda v: v <= 300,
         lambda v: fmt(v) + " MB"),
    ]
    verdicts = []
    for name, value, ok, show in targets:
        if value is None:
            verdicts.append([name, "n/a", "NOT MEASURED"])
        else:
            verdicts.append([name, show(value), "met" if ok(value) else "MISSED"])
    return serving, other, verdicts


def text_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


SERVING_HEADER = ["Workload", "Offline Commons", "nginx", "kiwix-serve", "ours/nginx", "ours/kiwix"]
OTHER_HEADER = ["Measure", "Offline Commons", "Reference", "Ratio", "Detail"]
TARGET_HEADER = ["Target", "Measured", "Result"]


def machine_lines(m):
    return [
        "%s CPUs (nproc), %s MB RAM, %s" % (m.get("nproc", "?"), m.get("ram_mb", "?"), m.get("cpu", "?")),
        "%s; %s" % (m.get("java", "?"), m.get("java_vm", "?")),
        "%s; nginx %s; %s; wrk %s" % (m.get("kernel", "?"), m.get("nginx", "?"), m.get("kiwix", "?"), m.get("wrk", "?")),
        "Load average at start %s, at end %s (other work on the machine skews absolute numbers)"
        % (m.get("load_start", "?"), m.get("load_end", "?")),
    ]


def write_plot(r, data_path, script, png):
    with open(data_path, "w") as f:
        f.write("# workload ours nginx kiwix (requests/s)\n")
        for key, label, _ in WORKLOADS:
            vals = [rate(r, s, key) for s, _ in SERVERS]
            f.write('"%s" %s\n' % (label.replace("Full-text search, 50 connections", "Search (50 conn.)")
                                   .replace("1 MiB ranges of a 100 MiB video", "1 MiB video ranges"),
                                   " ".join("?" if v is None else "%.1f" % v for v in vals)))
    subprocess.run(["gnuplot", "-e", "datafile='%s'; outfile='%s'" % (data_path, png), script], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("machine")
    ap.add_argument("--plot-data")
    ap.add_argument("--gnuplot")
    ap.add_argument("--doc")
    ap.add_argument("--png")
    a = ap.parse_args()
    r = load(a.results)
    m = load(a.machine)
    serving, other, verdicts = build(r, m)

    print()
    print("Offline Commons against nginx and kiwix-serve, %s (%s documents, %s s per run, wrk %d connections)"
          % (m.get("date", "?"), fmt(num(r, "content.documents")), m.get("duration", "?"), 50))
    for line in machine_lines(m):
        print("  " + line)
    print()
    print(text_table(SERVING_HEADER, serving))
    print()
    print(text_table(OTHER_HEADER, other))
    print()
    print(text_table(TARGET_HEADER, verdicts))
    print()

    if a.png and a.gnuplot and a.plot_data:
        write_plot(r, a.plot_data, a.gnuplot, a.png)
        print("Plot: " + a.png)
    if a.doc:
        section = "\n".join([
            START,
            "Latest run: %s, %s s in all. Machine:" % (m.get("date", "?"), m.get("total_seconds", "?")),
            "",
            *["- " + line for line in machine_lines(m)],
            "",
            md_table(SERVING_HEADER, serving),
            "",
            md_table(OTHER_HEADER, other),
            "",
            md_table(TARGET_HEADER, verdicts),
            "",
            "![Requests per second per workload, log scale](performance.png)",
            END,
        ])
        if os.path.exists(a.doc):
            text = open(a.doc).read()
            if START in text and END in text:
                text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
            else:
                text = text.rstrip("\n") + "\n\n## Latest results\n\n" + section + "\n"
        else:
            text = "# Performance\n\nWritten by `scripts/bench`.\n\n## Latest results\n\n" + section + "\n"
        with open(a.doc, "w") as f:
            f.write(text)
        print("Updated " + a.doc)


if __name__ == "__main__":
    sys.exit(main())
