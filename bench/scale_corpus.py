#!/usr/bin/env python3
"""Writes the scale corpus: a website of many small pages, the same bytes on every run.

    scale_corpus.py OUT_DIR [--pages N] [--queries Q]

OUT_DIR/site/        index.html and N pages in folders of 1,000 (p/0000/000000.html ...), each
                     1-3 KB of Zipf text with a title, headings and links to other pages
OUT_DIR/queries.txt  Q two-word queries, all different, so no answer can come from a cache
OUT_DIR/paths.env    shell variables: the pages each workload requests

It is the shape of a Wikipedia or a Gutenberg at small scale: many files, little bytes each,
where per-file work (hashing, SQL rows, index postings, manifest lines) is what costs.
"""

import argparse
import html
import itertools
import os
import random
import struct
import zlib

SEED = 20261203
PER_FOLDER = 1000

SUBJECTS = """water energy light plant cell animal earth system process structure history
government people country city river mountain ocean climate weather temperature pressure force
motion speed distance mass volume density reaction element compound molecule atom electron
charge current voltage circuit magnet wave frequency sound heat fuel carbon oxygen hydrogen
photosynthesis respiration digestion blood heart lung brain muscle bone disease health vaccine
bacteria virus protein enzyme gene evolution species population ecosystem habitat forest desert
soil rock mineral volcano earthquake erosion fossil planet star galaxy orbit gravity moon number
fraction decimal percent ratio equation variable graph angle triangle circle polygon area
geometry algebra probability statistics language grammar sentence verb noun poem author novel
reading writing library kingdom empire war peace revolution trade market economy farmer harvest
crop rice wheat maize railway bridge map continent island coast valley lake rain drought flood
migration culture religion festival music painting dance family school teacher student lesson
experiment observation measurement computer program algorithm network memory nutrition malaria
democracy election citizen rights court parliament constitution""".split()

FUNCTION_WORDS = """the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were their one all we can her has there been if more when will
would who so no she other its may these about into than them only some could time two first then
also what new each like our over such after most used many made any where between both those
through during under very same well because while several without another different""".split()

SYLLABLES = """ka ri to na mu se lo pi an ba de fo gu hi jo ke la me ni po qu ra si tu va we xi ya zo
ar el in on un ter ver sal mon tel dra gre pla sto tri cha sho the phy bio geo neo pro""".split()

HEAD = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<title>{title}</title>\n</head>\n<body>\n<nav><a href="../../index.html">Home</a></nav>\n'
        '<main>\n<h1>{title}</h1>\n')
FOOT = '</main>\n<footer><p>CC BY-SA 4.0. Generated for benchmarking.</p></footer>\n</body>\n</html>\n'


def vocabulary(rng, tail):
    words = list(dict.fromkeys(FUNCTION_WORDS))
    seen = set(words) | set(SUBJECTS)
    while len(words) < len(FUNCTION_WORDS) + tail:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    # Zipf (s = 1): the word of rank r is used in proportion to 1/r.
    return words, list(itertools.accumulate(1.0 / (r + 1) for r in range(len(words))))


def icon_png():
    """A 48x48 PNG, the size a ZIM's illustration must have."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    rows = b"".join(b"\x00" + bytes((40, 110, 200)) * 48 for _ in range(48))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 48, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def page_path(n):
    return "p/%04d/%06d.html" % (n // PER_FOLDER, n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=20_000)
    a = ap.parse_args()
    rng = random.Random(SEED)
    words, cumulative = vocabulary(rng, 30_000)
    site = os.path.join(a.out, "site")
    os.makedirs(site, exist_ok=True)

    for n in range(a.pages):
        if n % PER_FOLDER == 0:
            os.makedirs(os.path.join(site, "p", "%04d" % (n // PER_FOLDER)), exist_ok=True)
        topics = rng.sample(SUBJECTS, 3)
        title = " ".join(rng.choice(topics) if rng.random() < 0.6 else rng.choice(words[200:2000])
                         for _ in range(rng.randint(2, 4))).capitalize()
        parts = [HEAD.format(title=html.escape(title))]
        for _ in range(rng.randint(1, 3)):
            parts.append("<h2>%s</h2>\n" % rng.choice(topics).capitalize())
            body = rng.choices(words, cum_weights=cumulative, k=rng.randint(40, 140))
            for i in range(0, len(body), 9):
                body[i] = rng.choice(topics)
            link = rng.randrange(a.pages)
            k = rng.randrange(len(body))
            body[k] = '<a href="../../%s">%s</a>' % (page_path(link), body[k])
            parts.append("<p>%s.</p>\n" % " ".join(body).capitalize())
        parts.append(FOOT)
        with open(os.path.join(site, page_path(n)), "w", encoding="utf-8") as f:
            f.write("".join(parts))

    with open(os.path.join(site, "index.html"), "w", encoding="utf-8") as f:
        f.write(HEAD.format(title="Scale corpus").replace("../../index.html", "index.html"))
        f.write("<ul>\n")
        for n in range(min(a.pages, 200)):
            f.write('<li><a href="%s">Page %d</a></li>\n' % (page_path(n), n))
        f.write("</ul>\n" + FOOT)

    # Two words that do occur together somewhere: a subject and a mid-frequency word.
    seen = set()
    with open(os.path.join(a.out, "queries.txt"), "w", encoding="utf-8") as f:
        mid = words[60:3000]
        while len(seen) < a.queries:
            q = "%s %s" % (rng.choice(SUBJECTS), rng.choice(mid))
            if q not in seen:
                seen.add(q)
                f.write(q + "\n")

    with open(os.path.join(site, "icon.png"), "wb") as f:
        f.write(icon_png())
    with open(os.path.join(a.out, "paths.env"), "w") as f:
        f.write("ENTRY=index.html\n")
        f.write("ICON=icon.png\n")
        f.write("PAGE=%s\n" % page_path(a.pages // 2))
        f.write("PAGES=%d\n" % a.pages)


if __name__ == "__main__":
    main()
