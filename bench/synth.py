#!/usr/bin/env python3
"""Deterministic synthetic Arabic news corpus for scaling runs.

Recombines the titles, sentences and paragraphs of a real folder of articles (one article per .txt file)
into new, distinct articles: each synthetic article takes an unused real headline, 3-9 paragraphs of 1-4
sentences drawn from many different real articles, and the page chrome of one of a few made-up outlets
(bylines, date lines, "read more" and footer lines, of the kinds the real sources carry). The same source
folder, seed and scale always give byte-identical files.

Because every article mixes sentences of different sources, no two share their body (exact-duplicate
detection does not fire) and their word 3-shingles overlap little (near-duplicate detection does not fire
either); sentences do recur across articles, as wire copy and quotes do in real feeds.

    python3 bench/synth.py --source /work/shared/corpus --out bench/out/synth-4 --scale 4

writes scale x --docs-per-scale articles (default 1,000 a scale) under OUT/<outlet>/<date>-<n>.txt and
prints a JSON summary (files, bytes, sentences drawn).
"""

import argparse
import datetime
import hashlib
import json
import os
import random
import re
import shutil
import sys

# Sentence ends: . ! ? ؟ … followed by a space, as a straightforward splitter sees them.
SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")

# Lines of the real sources' page chrome: never used as text (the real corpus README lists them).
CHROME_MARKERS = ("يمكنكم استلام", "يمكنكم تسلم", "جميع المقالات المنشورة", "نقلاً عن", "نقلا عن", "للمزيد:",
                  "اضغط هنا", "المزيد", "للتواصل", "رابط الخبر", "انتهى", "سمات ", "@", "http", "www.", "-----")

CITIES = ["الرياض", "جدة", "القاهرة", "تونس", "بيروت", "عمّان", "الرباط", "دبي", "بغداد", "الدوحة", "الكويت", "مسقط"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# Made-up outlets, each with its own page template (as each real site has one). {city}, {date}, {title} and
# {n} are filled per article. Header lines come before the headline or right after it; footer lines end the page.
OUTLETS = [
    {"folder": "wadi-news", "layout": "blank",
     "header": ["وادي نيوز – {city}"], "after_title": [],
     "footer": ["اظهر المزيد", "زر الذهاب إلى الأعلى"]},
    {"folder": "sahil-post", "layout": "single",
     "header": [], "after_title": ["{city} – {date}"],
     "footer": ["اقرأ أيضا: {title}", "تابعونا على تويتر", "جميع الحقوق محفوظة © {year}"]},
    {"folder": "nahar-daily", "layout": "space",
     "header": [], "after_title": ["{city} {day} {month} {year} م واس"],
     "footer": ["// انتهى //", "{hh}:{mm} ت م"]},
    {"folder": "qalam-online", "layout": "blank",
     "header": ["قلم أونلاين - {city}", "بقلم: {author}"], "after_title": [],
     "footer": ["ليست هناك تعليقات", "اظهر المزيد"]},
    {"folder": "fajr-today", "layout": "single",
     "header": [], "after_title": ["({city}) - فجر اليوم:"],
     "footer": ["للتواصل أرسل sms إلى 88548 الكاتب", "شارك هذا الخبر"]},
    {"folder": "manara-wire", "layout": "space",
     "header": ["المنارة – {city}"], "after_title": [],
     "footer": ["رابط الخبر بصحيفة المنارة: {title}"]},
]
AUTHORS = ["محمد العتيبي", "سارة الأحمد", "خالد منصور", "ليلى حداد", "يوسف الشريف", "نور الهدى بن علي", "عمر الزهراني"]


def read_pool(source, pool_files, rng):
    """Titles and sentences of a deterministic sample of the real articles under `source` (UTF-8 only)."""
    paths = []
    for root, dirs, files in os.walk(source, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".txt"):
                paths.append(os.path.join(root, name))
    paths.sort()
    rng.shuffle(paths)
    if pool_files > 0:
        paths = paths[:pool_files]
    titles, sentences = [], []
    seen = set()
    for path in paths:
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # legacy code pages: not material for recombination
        text = text.replace("\ufeff", "").replace("\u00a0", " ")
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            continue
        title = lines[0]
        if 3 <= len(title.split()) <= 20 and ARABIC_LETTER.search(title) and title not in seen:
            seen.add(title)
            titles.append(title)
        for line in lines[1:]:
            if any(marker in line for marker in CHROME_MARKERS):
                continue
            for sentence in SENTENCE_END.split(line):
                sentence = sentence.strip()
                words = len(sentence.split())
                if 6 <= words <= 60 and ARABIC_LETTER.search(sentence) and sentence not in seen:
                    seen.add(sentence)
                    sentences.append(sentence)
    return titles, sentences


def fill(template, fields):
    return template.format(**fields)


def generate(source, out, scale, docs_per_scale, seed, pool_files):
    rng = random.Random(seed)
    titles, sentences = read_pool(source, pool_files, rng)
    if len(titles) < 10 or len(sentences) < 100:
        sys.exit(f"synth: {source} has too little UTF-8 article text to recombine")
    rng.shuffle(titles)
    count = scale * docs_per_scale
    if os.path.exists(out):
        shutil.rmtree(out)
    total_bytes = drawn = 0
    start = datetime.date(2024, 1, 1)
    for n in range(count):
        outlet = OUTLETS[n % len(OUTLETS)]
        # A headline is used once; past the pool, a headline is the start of an unused sentence.
        if n < len(titles):
            title = titles[n]
        else:
            words = rng.choice(sentences).split()
            title = " ".join(words[:rng.randint(6, 11)]).rstrip("،,:")
        day = start + datetime.timedelta(days=(n * 7919) % 700)
        fields = {
            "city": rng.choice(CITIES), "author": rng.choice(AUTHORS), "title": rng.choice(titles),
            "date": day.isoformat(), "day": str(day.day), "month": MONTHS[day.month - 1], "year": str(day.year),
            "hh": f"{rng.randint(0, 23):02d}", "mm": f"{rng.randint(0, 59):02d}",
        }
        if rng.random() < 0.5:
            fields["year"] = fields["year"].translate(ARABIC_DIGITS)
        paragraphs = []
        for _ in range(rng.randint(3, 9)):
            picked = [rng.choice(sentences) for _ in range(rng.randint(1, 4))]
            drawn += len(picked)
            paragraphs.append(" ".join(picked))
        header = [fill(line, fields) for line in outlet["header"]]
        after = [fill(line, fields) for line in outlet["after_title"]]
        footer = [fill(line, fields) for line in outlet["footer"]]
        layout = outlet["layout"]
        if layout == "blank":
            body = "\n\n".join(after + paragraphs + footer)
            text = "\n".join(header + [title]) + "\n\n" + body + "\n"
        elif layout == "single":
            text = "\n".join(header + [title] + after + paragraphs + footer) + "\n"
        else:  # paragraphs start with a space and the file has no final newline (as in SaudiNewsNet)
            text = "\n".join(header + [title] + after) + "\n\n" + "\n".join(" " + p for p in paragraphs + footer)
        folder = os.path.join(out, outlet["folder"])
        os.makedirs(folder, exist_ok=True)
        data = text.encode("utf-8")
        with open(os.path.join(folder, f"{day.isoformat()}-{n:06d}.txt"), "wb") as handle:
            handle.write(data)
        total_bytes += len(data)
    return {"files": count, "bytes": total_bytes, "sentences_drawn": drawn, "pool_titles": len(titles),
            "pool_sentences": len(sentences), "seed": seed, "scale": scale, "docs_per_scale": docs_per_scale}


def tree_digest(folder):
    """SHA-256 over the sorted relative paths and contents of a folder: equal digests, equal corpora."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True, help="folder of real articles to recombine")
    parser.add_argument("--out", required=True, help="folder to write (replaced)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--docs-per-scale", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--pool-files", type=int, default=0,
                        help="real articles sampled for titles and sentences (0: all)")
    parser.add_argument("--digest", action="store_true", help="also print the SHA-256 of the written tree")
    args = parser.parse_args()
    summary = generate(args.source, args.out, args.scale, args.docs_per_scale, args.seed, args.pool_files)
    if args.digest:
        summary["digest"] = tree_digest(args.out)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
