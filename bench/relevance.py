#!/usr/bin/env python3
"""Scores two search engines on judged query sets: success@3 and MRR@10, side by side.

Each set is a TSV file of `query<TAB>page page ...` lines (the pages a reader should get first,
as paths inside the site; '#' starts a comment). Every query is asked of our server's JSON API
(`/api/v1/search`, computed afresh) and of kiwix-serve's search (`format=xml`); both engines'
hits become paths of the same site, duplicates are dropped, and the rank of the first
acceptable page among the first 10 is kept:

  success@3  share of queries with an acceptable page among the first 3 hits
  MRR@10     mean over queries of 1/rank of the first acceptable page (0 when not in the first 10)

  bench/relevance.py --ours URL --kiwix URL --set NAME TSV PACK BOOK [--set ...] [--markdown FILE]
  bench/relevance.py --self-test     checks the arithmetic on a hand-made example

Run by `scripts/bench --relevance` (bench/relevance.sh), which builds and serves the content.
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

TOP = 10          # hits asked for, and the depth of MRR
SUCCESS_AT = 3    # a right page this high counts as a success


def read_set(path):
    """[(query, [acceptable page, ...])] from a judged TSV file."""
    judged = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "\t" not in line:
                raise SystemExit(f"{path}:{number}: expected 'query<TAB>page page ...', got {line!r}")
            query, pages = line.split("\t", 1)
            pages = pages.split()
            if not query.strip() or not pages:
                raise SystemExit(f"{path}:{number}: a query and at least one page are needed")
            judged.append((query.strip(), pages))
    return judged


def distinct(paths):
    """The paths in order, each once: two hits on one page are one answer to the reader."""
    seen, kept = set(), []
    for p in paths:
        if p not in seen:
            seen.add(p)
            kept.append(p)
    return kept


def rank_of(hits, acceptable, depth=TOP):
    """1-based rank of the first acceptable page among the first `depth` distinct hits, or None."""
    for i, path in enumerate(distinct(hits)[:depth], 1):
        if path in acceptable:
            return i
    return None


def scores(ranks):
    """(success@3, MRR@10) of a list of ranks (None: no acceptable page in the first 10)."""
    if not ranks:
        return 0.0, 0.0
    success = sum(1 for r in ranks if r is not None and r <= SUCCESS_AT) / len(ranks)
    mrr = sum(1.0 / r for r in ranks if r is not None and r <= TOP) / len(ranks)
    return success, mrr


class EngineError(Exception):
    """A search engine answered with an error: the reader got no results for the query."""


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def ours_hits(base, pack, query):
    url = (f"{base}/api/v1/search?q={urllib.parse.quote(query)}"
           f"&pack={urllib.parse.quote(pack)}&limit={TOP}")
    # no-cache: our server then computes the answer afresh, as for a query nobody asked before
    answer = json.loads(get(url, {"Cache-Control": "no-cache"}))
    return [h["path"] for h in answer["hits"]]


def kiwix_path(link, book):
    """A kiwix-serve result link (/BOOK/path or /content/BOOK/path, percent-encoded) as a site path."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(link).path)
    for prefix in (f"/content/{book}/", f"/{book}/"):
        if path.startswith(prefix):
            path = path[len(prefix):]
            break
    # ZIMs in the old namespace scheme put articles under A/
    return path[2:] if path.startswith("A/") else path


def kiwix_hits(base, book, query):
    url = (f"{base}/search?content={urllib.parse.quote(book)}&pattern={urllib.parse.quote(query)}"
           f"&format=xml&pageLength={TOP}")
    try:
        body = get(url)
    except urllib.error.HTTPError as e:
        if e.code == 404:   # kiwix-serve answers 404 when nothing matches
            return []
        # kiwix-serve 3.3 fails on some snippets ("Error while rendering search results: Unclosed
        # tag"), in its HTML answer too: the reader gets an error page, scored as no right page.
        raise EngineError(f"HTTP {e.code}") from e
    root = ElementTree.fromstring(body)
    return [kiwix_path(item.findtext("link", ""), book) for item in root.iter("item")]


def run_set(name, tsv, pack, book, ours, kiwix):
    rows = []
    for query, acceptable in read_set(tsv):
        errors = {}
        try:
            ours_list = ours_hits(ours, pack, query)
        except urllib.error.HTTPError as e:
            ours_list, errors["ours"] = [], f"HTTP {e.code}"
        try:
            kiwix_list = kiwix_hits(kiwix, book, query)
        except EngineError as e:
            kiwix_list, errors["kiwix"] = [], str(e)
        rows.append({
            "query": query,
            "acceptable": acceptable,
            "ours": rank_of(ours_list, acceptable),
            "kiwix": rank_of(kiwix_list, acceptable),
            "ours_top": distinct(ours_list)[:1],
            "kiwix_top": distinct(kiwix_list)[:1],
            "errors": errors,
        })
    return {"name": name, "rows": rows,
            "ours": scores([r["ours"] for r in rows]),
            "kiwix": scores([r["kiwix"] for r in rows])}


def meets(ours, theirs):
    """Whether (success@3, MRR@10) of ours are both at least theirs (the issue's acceptance)."""
    return all(o >= t - 1e-9 for o, t in zip(ours, theirs))


def shown(rank):
    return "-" if rank is None else str(rank)


def first(row, engine):
    if engine in row["errors"]:
        return f"({row['errors'][engine]})"
    return " ".join(row[engine + "_top"]) or "(none)"


def report(results, kiwix_version):
    lines = []
    lines.append("| set | queries | success@3 ours | success@3 kiwix-serve | MRR@10 ours | MRR@10 kiwix-serve "
                 "| both at least kiwix-serve's |")
    lines.append("|---|---:|---:|---:|---:|---:|---|")
    for s in results:
        n = len(s["rows"])
        (os_, om), (ks, km) = s["ours"], s["kiwix"]
        verdict = "met" if meets(s["ours"], s["kiwix"]) else "missed"
        lines.append(f"| {s['name']} | {n} | {round(os_ * n)}/{n} ({os_:.2f}) | {round(ks * n)}/{n} ({ks:.2f}) "
                     f"| {om:.2f} | {km:.2f} | {verdict} |")
    lines.append("")
    lines.append(f"kiwix-serve: {kiwix_version}. Rank: position of the first acceptable page among the first "
                 f"{TOP} distinct hits ('-': none).")
    for s in results:
        lines.append("")
        lines.append(f"#### {s['name']}")
        lines.append("")
        lines.append("| query | ours | kiwix | our first hit | kiwix's first hit |")
        lines.append("|---|---:|---:|---|---|")
        for r in s["rows"]:
            lines.append(f"| {r['query']} | {shown(r['ours'])} | {shown(r['kiwix'])} "
                         f"| {first(r, 'ours')} | {first(r, 'kiwix')} |")
    return "\n".join(lines) + "\n"


def self_test():
    """Checks the arithmetic on a hand-made example; exits non-zero on the first wrong answer."""
    judged = {"a.html", "b.html"}
    # ranks 1, 3, 4, none: success@3 = 2/4; MRR@10 = (1 + 1/3 + 1/4 + 0) / 4
    success, mrr = scores([1, 3, 4, None])
    checks = [
        ("rank of the first acceptable hit", rank_of(["x.html", "a.html"], judged) == 2),
        ("a page hit twice counts once", rank_of(["x.html", "x.html", "b.html"], judged) == 2),
        ("an 11th hit is too deep", rank_of([f"{i}.html" for i in range(10)] + ["a.html"], judged) is None),
        ("no hits, no rank", rank_of([], judged) is None),
        ("success@3 of ranks 1, 3, 4, none", success == 0.5),
        ("MRR@10 of ranks 1, 3, 4, none", abs(mrr - (1 + 1 / 3 + 1 / 4) / 4) < 1e-12),
        ("an empty set scores 0", scores([]) == (0.0, 0.0)),
        ("no right page scores 0", scores([None, None]) == (0.0, 0.0)),
        ("all first scores 1", scores([1, 1]) == (1.0, 1.0)),
        ("a tie meets", meets((0.5, 0.4), (0.5, 0.4)) and meets((0.6, 0.5), (0.5, 0.4))),
        ("one lower figure misses", not meets((0.6, 0.39), (0.5, 0.4)) and not meets((0.4, 0.9), (0.5, 0.4))),
        ("kiwix link, percent-encoded", kiwix_path("/wiki/%D0%9A%D0%B0%D0%B2%D0%B0.html", "wiki") == "Кава.html"),
        ("kiwix link under /content/", kiwix_path("/content/git/git-branch.html", "git") == "git-branch.html"),
        ("kiwix link of an old-namespace ZIM", kiwix_path("/old/A/Page.html", "old") == "Page.html"),
    ]
    failed = [name for name, ok in checks if not ok]
    for name in failed:
        print(f"FAILED: {name}", file=sys.stderr)
    print(f"relevance: {len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--ours", help="base URL of our server")
    parser.add_argument("--kiwix", help="base URL of kiwix-serve")
    parser.add_argument("--kiwix-version", default="kiwix-serve")
    parser.add_argument("--set", nargs=4, action="append", default=[], metavar=("NAME", "TSV", "PACK", "BOOK"))
    parser.add_argument("--check-dir", nargs=2, action="append", default=[], metavar=("NAME", "DIR"),
                        help="the site folder of a set: every judged page must be a file in it")
    parser.add_argument("--markdown", help="also write the report to this file")
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not (args.ours and args.kiwix and args.set):
        parser.error("--ours, --kiwix and at least one --set are needed")
    folders = dict(args.check_dir)
    for name, tsv, _, _ in args.set:
        if name in folders:
            missing = sorted({p for _, pages in read_set(tsv) for p in pages
                              if not os.path.isfile(os.path.join(folders[name], p))})
            if missing:
                raise SystemExit(f"{tsv}: judged pages missing from {folders[name]}: {', '.join(missing)}")
    results = [run_set(name, tsv, pack, book, args.ours, args.kiwix) for name, tsv, pack, book in args.set]
    text = report(results, args.kiwix_version)
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    sys.exit(main())
