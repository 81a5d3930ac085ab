#!/usr/bin/env python3
"""Writes the benchmark corpus: a school-library website, the same bytes on every run.

    corpus.py OUT_DIR [--pages N] [--total-mb MB]

OUT_DIR/site/       the website (pages, css, js, images, videos); it becomes the pack, the nginx
                    root and the ZIM, so all three servers serve the same bytes
OUT_DIR/queries.txt search queries, one per line, in the order the load generator cycles them
OUT_DIR/paths.env   shell variables naming the files each workload requests, and their sizes

Text is drawn from a Zipf-distributed vocabulary (real words first, then a long tail of made-up
ones), so word frequencies, posting-list lengths and page sizes look like real educational
content. Media are random bytes: their content does not matter to a server, only that no two
1 MiB regions are alike (which would let content-addressed storage cheat).
"""

import argparse
import bisect
import html
import itertools
import os
import random

SEED = 20240501
MIB = 1 << 20

# Common English words (function words first: they dominate real text) and subject words of a
# school library. The order matters: earlier words get higher Zipf weight.
FUNCTION_WORDS = """the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were their one all we can her has there been if more when will
would who so no she other its may these about into than them only some could time two first then
also what new each like our over such after most used many made any where between both those
through during under very same well because while several without another different often
however within among every large small long early later part form number example called known
""".split()

SUBJECT_WORDS = """water energy light plant cell animal earth system process structure function
history government people country city river mountain ocean climate weather temperature pressure
force motion speed distance mass volume density chemical reaction element compound molecule atom
electron proton neutron nucleus charge current voltage circuit magnet field wave frequency sound
heat fuel carbon oxygen hydrogen nitrogen photosynthesis respiration digestion blood heart lung
brain muscle bone skin disease health vaccine bacteria virus fungus protein enzyme gene chromosome
evolution species population ecosystem habitat forest desert grassland soil rock mineral volcano
earthquake erosion fossil planet star galaxy orbit gravity moon sun solar universe telescope
number fraction decimal percent ratio equation variable function graph angle triangle circle
square rectangle polygon area perimeter geometry algebra calculus probability statistics data
average median mean sum product multiply divide addition subtraction theorem proof pattern
sequence language grammar sentence verb noun adjective paragraph essay story poem author novel
reading writing spelling vocabulary literature character plot theme setting chapter library
kingdom empire war peace revolution trade market economy money bank farmer agriculture harvest
crop rice wheat maize cattle fishing industry factory machine engine railway road bridge map
continent africa asia europe america australia island coast valley lake rain drought flood
migration culture religion festival music art painting dance family community school teacher
student lesson exercise question answer test project experiment observation hypothesis result
conclusion measurement unit metre gram litre second hour calendar year century ancient modern
computer program algorithm internet network software hardware keyboard memory storage file
safety hygiene nutrition vitamin diet exercise sleep water sanitation malaria tuberculosis
democracy election citizen rights law court parliament constitution president minister council
""".split()

SYLLABLES = """ka ri to na mu se lo pi an ba de fo gu hi jo ke la me ni po qu ra si tu va we xi ya zo
ar el in on un ter ver sal mon tel dra gre pla sto tri cha sho the phy bio geo neo pro""".split()


def build_vocabulary(rng, tail_size):
    """Everyday words (function words, then a long tail of made-up ones) with Zipf weights."""
    words = []
    seen = set(SUBJECT_WORDS)
    for w in FUNCTION_WORDS:
        if w not in seen:
            seen.add(w)
            words.append(w)
    while len(words) < len(FUNCTION_WORDS) + tail_size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    # Zipf (s = 1): the word of rank r is used in proportion to 1/r.
    cumulative = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(words))))
    return words, cumulative


SUBJECTS = list(dict.fromkeys(SUBJECT_WORDS))
# Some subjects are more common than others (Zipf s = 0.5: "water" is on about one page in ten).
SUBJECT_CUMULATIVE = list(itertools.accumulate(1.0 / (r + 1) ** 0.5 for r in range(len(SUBJECTS))))


class Text:
    """Words as an article uses them: everyday words everywhere, subject words in bursts.

    Each page is about a few subjects and repeats them; other subject words turn up now and
    then. So "water" is in a few percent of the pages, as in an encyclopedia, not in all of them.
    """

    def __init__(self, rng, words, cumulative):
        self.rng = rng
        self.words = words
        self.cumulative = cumulative
        self.total = cumulative[-1]
        self.topics = SUBJECTS[:3]

    def new_page(self):
        self.topics = [self.subject() for _ in range(self.rng.randint(2, 4))]

    def subject(self):
        i = bisect.bisect_left(SUBJECT_CUMULATIVE, self.rng.random() * SUBJECT_CUMULATIVE[-1])
        return SUBJECTS[min(i, len(SUBJECTS) - 1)]

    def word(self):
        r = self.rng.random()
        if r < 0.04:
            return self.rng.choice(self.topics)
        if r < 0.045:
            return self.rng.choice(SUBJECTS)
        i = bisect.bisect_left(self.cumulative, self.rng.random() * self.total)
        return self.words[min(i, len(self.words) - 1)]

    def topic_word(self):
        # Titles and headings name the page's subjects.
        return self.rng.choice(self.topics) if self.rng.random() < 0.6 else self.words[
            self.rng.randint(len(FUNCTION_WORDS), len(self.words) - 1)]

    def sentence(self):
        n = self.rng.randint(6, 22)
        ws = [self.word() for _ in range(n)]
        ws[0] = ws[0].capitalize()
        return " ".join(ws) + self.rng.choice([".", ".", ".", "?", "!"])

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 8)))

    def title(self):
        return " ".join(self.topic_word() for _ in range(self.rng.randint(2, 5))).capitalize()


HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{up}css/site.css">
<script src="{up}js/site.js" defer></script>
</head>
<body>
<header class="site"><a class="brand" href="{up}index.html">School Library</a>
<nav><ul><li><a href="{up}index.html">Home</a></li><li><a href="{prev}">Previous</a></li><li><a href="{next}">Next</a></li></ul></nav>
</header>
<main>
<article>
<h1>{title}</h1>
"""

FOOT = """</article>
</main>
<footer><p>Text available under CC BY-SA 4.0. Generated for benchmarking.</p></footer>
</body>
</html>
"""


def section(text, rng, up, images, pages):
    out = ["<section>\n<h2>%s</h2>\n" % html.escape(text.title())]
    for _ in range(rng.randint(1, 4)):
        p = text.paragraph()
        if rng.random() < 0.3 and pages:
            target = rng.choice(pages)
            words = p.split(" ")
            k = rng.randint(0, len(words) - 1)
            words[k] = '<a href="%s%s">%s</a>' % (up, target, words[k])
            p = " ".join(words)
        out.append("<p>%s</p>\n" % p)
    r = rng.random()
    if r < 0.2:
        out.append("<ul>\n" + "".join("<li>%s</li>\n" % text.sentence() for _ in range(rng.randint(3, 7))) + "</ul>\n")
    elif r < 0.3:
        rows = "".join("<tr><td>%s</td><td>%d</td><td>%s</td></tr>\n" % (text.topic_word(), rng.randint(1, 9999),
                                                                          text.word()) for _ in range(rng.randint(3, 8)))
        out.append('<table>\n<tr><th>Name</th><th>Value</th><th>Note</th></tr>\n%s</table>\n' % rows)
    elif r < 0.45 and images:
        img = rng.choice(images)
        out.append('<figure><img src="%s%s" alt="%s" loading="lazy"><figcaption>%s</figcaption></figure>\n'
                   % (up, img, html.escape(text.title()), text.sentence()))
    elif r < 0.5:
        out.append("<blockquote>%s</blockquote>\n" % text.paragraph())
    out.append("</section>\n")
    return "".join(out)


def page(text, rng, title, up, prev_link, next_link, images, pages, target_bytes):
    parts = [HEAD.format(title=html.escape(title), up=up, prev=prev_link, next=next_link),
             '<p class="lead">%s</p>\n' % text.paragraph()]
    size = sum(len(p) for p in parts) + len(FOOT)
    while size < target_bytes:
        s = section(text, rng, up, images, pages)
        parts.append(s)
        size += len(s)
    parts.append(FOOT)
    return "".join(parts)


def exact_size(doc, size):
    """Cuts or pads the last section so the page has exactly {size} bytes."""
    data = doc.encode("utf-8")
    if len(data) > size:
        cut = data[: size - len(FOOT) - 64]
        cut = cut[: cut.rfind(b" ")]
        data = cut + b"</p>\n</section>\n" + FOOT.encode("utf-8")
    pad = size - len(data)
    if pad > 0:
        comment_at = data.rfind(b"</body>")
        filler = b"<!--" + b" " * max(0, pad - 7) + b"-->\n"
        data = data[:comment_at] + filler[:pad] + data[comment_at:] if pad >= 8 else data[:comment_at] + b"\n" * pad + data[comment_at:]
    assert len(data) == size, (len(data), size)
    return data


def png(rng, width, height):
    """A valid PNG of noisy pixels: compresses about as badly as a photo."""
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)

    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def write_media(path, size, rng, pool, stamp):
    """{size} bytes that look random; every 1 MiB region differs from every other one."""
    with open(path, "wb") as f:
        written = 0
        index = 0
        while written < size:
            n = min(MIB, size - written)
            off = rng.randrange(0, len(pool) - MIB)
            block = (stamp + b":%012d:" % index)[:32].ljust(32, b"-") + pool[off: off + MIB - 32]
            f.write(block[:n])
            written += n
            index += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--total-mb", type=int, default=1024, help="pack size to reach with extra videos (MiB)")
    args = ap.parse_args()

    rng = random.Random(SEED)
    words, cumulative = build_vocabulary(rng, 30000)
    text = Text(rng, words, cumulative)
    site = os.path.join(args.out, "site")
    for d in ("css", "js", "images", "video", "articles"):
        os.makedirs(os.path.join(site, d), exist_ok=True)

    with open(os.path.join(site, "css", "site.css"), "w") as f:
        f.write("body{font-family:sans-serif;max-width:46em;margin:auto;line-height:1.5}\n"
                "header.site{display:flex;justify-content:space-between}nav ul{display:flex;gap:1em;list-style:none}\n"
                "figure img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}\n"
                + "".join(".c%d{margin:%dpx}\n" % (i, i) for i in range(200)))
    with open(os.path.join(site, "js", "site.js"), "w") as f:
        f.write("document.addEventListener('DOMContentLoaded',function(){document.body.classList.add('ready');});\n")

    # zimwriterfs insists on a 48x48 PNG illustration; a site would have one as its icon anyway.
    with open(os.path.join(site, "images", "icon-48.png"), "wb") as f:
        f.write(png(rng, 48, 48))
    images = []
    for i in range(60):
        w, h = rng.choice([(160, 120), (320, 240), (400, 300)])
        name = "images/fig-%03d.png" % i
        with open(os.path.join(site, name), "wb") as f:
            f.write(png(rng, w, h))
        images.append(name)

    # Pages live 100 to a folder, as a scraped site would.
    paths = ["articles/%03d/page-%05d.html" % (i // 100, i) for i in range(args.pages)]
    for i, rel in enumerate(paths):
        os.makedirs(os.path.dirname(os.path.join(site, rel)), exist_ok=True)
        target = int(min(40000, max(1500, rng.lognormvariate(8.4, 0.6))))  # median ~4.4 KB
        text.new_page()
        doc = page(text, rng, text.title(), "../../", "page-%05d.html" % max(0, i - 1),
                   "page-%05d.html" % min(args.pages - 1, i + 1), images, paths, target)
        with open(os.path.join(site, rel), "w") as f:
            f.write(doc)

    specials = {"page-30k.html": 30 * 1024, "page-750k.html": 750 * 1024}
    for name, size in specials.items():
        text.new_page()
        doc = page(text, rng, "Benchmark page " + name, "", "index.html", "index.html", images, paths, size)
        with open(os.path.join(site, name), "wb") as f:
            f.write(exact_size(doc, size))

    with open(os.path.join(site, "index.html"), "w") as f:
        links = "".join('<li><a href="%s">%s</a></li>\n' % (p, "Article %d" % i) for i, p in enumerate(paths[:200]))
        f.write(HEAD.format(title="School Library", up="", prev="index.html", next=paths[0])
                + "<p>Welcome to the school library.</p>\n<ul>\n" + links + "</ul>\n" + FOOT)

    pool = random.Random(SEED + 1).randbytes(16 * MIB)
    video = "video/lecture.webm"
    video_size = 100 * MIB
    write_media(os.path.join(site, video), video_size, rng, pool, b"lecture")
    used = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(site) for fn in fns)
    extra = 0
    remaining = args.total_mb * MIB - used
    while remaining > 0:
        n = min(remaining, 96 * MIB)
        write_media(os.path.join(site, "video", "lesson-%02d.mp4" % extra), n, rng, pool, b"lesson-%02d" % extra)
        remaining -= n
        extra += 1

    queries = make_queries(random.Random(SEED + 2), words)
    with open(os.path.join(args.out, "queries.txt"), "w") as f:
        f.write("\n".join(queries) + "\n")
    with open(os.path.join(args.out, "paths.env"), "w") as f:
        f.write("PAGE_SMALL=page-30k.html\nPAGE_SMALL_BYTES=%d\n" % specials["page-30k.html"])
        f.write("PAGE_LARGE=page-750k.html\nPAGE_LARGE_BYTES=%d\n" % specials["page-750k.html"])
        f.write("VIDEO=%s\nVIDEO_BYTES=%d\n" % (video, video_size))
        f.write("MISSING=articles/000/no-such-page.html\n")
        f.write("DOCUMENTS=%d\n" % (args.pages + 2))
        f.write("ICON=images/icon-48.png\n")
        f.write("FILLER_GLOB='video/lesson-*.mp4'\n")


def make_queries(rng, words):
    """What pupils type: mostly one or two subject words, some rarer words, some half-typed."""
    subjects = SUBJECTS
    tail = words[len(FUNCTION_WORDS):]
    queries = []
    for _ in range(500):
        r = rng.random()
        if r < 0.40:
            q = rng.choice(subjects)
        elif r < 0.70:
            q = "%s %s" % (rng.choice(subjects), rng.choice(subjects))
        elif r < 0.80:
            q = "%s %s %s" % (rng.choice(subjects), rng.choice(FUNCTION_WORDS), rng.choice(subjects))
        elif r < 0.90:
            q = rng.choice(tail[:2000])
        else:
            w = rng.choice([s for s in subjects if len(s) >= 6])
            q = w[: rng.randint(4, len(w) - 1)]
        queries.append(q)
    return queries


if __name__ == "__main__":
    main()
