#!/usr/bin/env python3
"""The straightforward Python version of Bayan's job, as a yardstick for the benchmark.

Reads every .txt file under the inputs with a pool of worker processes (UTF-8, else windows-1256), skips
byte-identical files, takes the first line as the headline, splits the rest into paragraphs at line ends and
into sentences with one regular expression, folds diacritics and tatweel for matching, tags each sentence with
the themes of config/themes.yaml whose terms occur in it as plain substrings (weights summed against the
theme's threshold), and loads documents, sentences and theme hits into the same warehouse schema with
psycopg COPY, in batches, in one transaction. No boilerplate removal, no near-duplicates, no date finding,
no encoding detection beyond the fallback: the honest naive version.

    bench/.venv/bin/python bench/baseline.py --database 'host=/tmp/s dbname=x user=bayan' --jobs 2 DIR...

Prints a JSON line with the counts.
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import re
import sys
import unicodedata

import psycopg

SENTENCE_SPLIT = re.compile(r"(?<=[.!?؟…])\s+")
FOLD = re.compile(r"[\u064B-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
THEMES = None  # set in each worker by init_worker
BATCH = 2000


def parse_themes(path):
    """The themes of config/themes.yaml: code, names, description, threshold and (term, weight) pairs."""
    themes, current, version = [], None, "1"
    field = re.compile(r"^\s+(?:- )?(code|name_ar|name_en|description|threshold):\s*(.*)$")
    term = re.compile(r"\{term:\s*([^,}]+),\s*weight:\s*([0-9.]+)")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split(" #")[0].rstrip("\n")
            if line.startswith("version:"):
                version = line.split(":", 1)[1].strip()
            match = field.match(line)
            if match:
                key, value = match.groups()
                if key == "code":
                    current = {"code": value.strip(), "terms": []}
                    themes.append(current)
                current[key] = float(value) if key == "threshold" else value.strip()
                continue
            match = term.search(line)
            if match and current is not None:
                current["terms"].append((fold(match.group(1).strip()), float(match.group(2))))
    return version, themes


def fold(text):
    return FOLD.sub("", text)


def signed64(digest):
    return int.from_bytes(digest[:8], "big", signed=True)


def init_worker(themes_path):
    global THEMES
    THEMES = parse_themes(themes_path)


def process(path_and_rel):
    """One file: (document row, sentence rows, theme rows), or None when it is not text."""
    path, rel = path_and_rel
    with open(path, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).digest()
    for encoding in ("utf-8-sig", "windows-1256"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    text = unicodedata.normalize("NFKC", text.replace("\x00", ""))
    lines = [line.strip() for line in text.split("\n")]
    nonempty = [line for line in lines if line]
    if not nonempty:
        return None
    document_id = signed64(digest)
    title, body = nonempty[0], nonempty[1:]
    version, themes = THEMES
    sentences, hits = [], []
    ordinal = 0
    for paragraph, line in enumerate(body, start=1):
        for sentence in SENTENCE_SPLIT.split(line):
            sentence = sentence.strip()
            if not sentence:
                continue
            ordinal += 1
            normalized = fold(sentence)
            sentences.append((document_id, ordinal, paragraph, sentence, normalized,
                              signed64(hashlib.sha256(normalized.encode()).digest())))
            for theme in themes:
                matched = [t for t, _ in theme["terms"] if t in normalized]
                score = sum(w for t, w in theme["terms"] if t in matched)
                if matched and score >= theme["threshold"]:
                    hits.append((document_id, ordinal, theme["code"], score, matched, version))
    source = rel.split(os.sep)[0] if os.sep in rel else "input"
    document = (document_id, digest, rel, source, encoding.replace("-sig", ""), len(data), title,
                len(body), ordinal, 0, text, "baseline")
    return document, sentences, hits


def files_under(inputs):
    for top in inputs:
        if os.path.isfile(top):
            yield top, os.path.basename(top)
            continue
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".txt"):
                    path = os.path.join(root, name)
                    yield path, os.path.relpath(path, top)


def copy_batch(cursor, documents, sentences, hits):
    with cursor.copy("COPY documents (document_id, content_sha256, source_path, source_name, encoding, byte_size, title, "
                     "paragraph_count, sentence_count, lines_removed, raw_text, normalization_profile, first_run_id) "
                     "FROM STDIN") as copy:
        for row in documents:
            copy.write_row(row + ("baseline",))
    with cursor.copy("COPY sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash) FROM STDIN") as copy:
        for row in sentences:
            copy.write_row(row)
    with cursor.copy("COPY sentence_themes (document_id, ordinal, theme_code, score, matched_terms, lexicon_version) "
                     "FROM STDIN") as copy:
        for row in hits:
            copy.write_row(row)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="libpq connection string of a migrated, empty warehouse")
    parser.add_argument("--themes", default=os.path.join(os.path.dirname(__file__), "..", "config", "themes.yaml"))
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()

    version, themes = parse_themes(args.themes)
    counts = {"files": 0, "documents": 0, "skipped": 0, "copies": 0, "sentences": 0, "theme_hits": 0}
    seen = set()
    with psycopg.connect(args.database) as connection, connection.cursor() as cursor:
        cursor.execute("INSERT INTO runs (run_id, started_at, status, stages) VALUES ('baseline', now(), 'running', '{run}')")
        with cursor.copy("COPY themes (theme_code, name_ar, name_en, description, threshold, sort_order, lexicon_version) "
                         "FROM STDIN") as copy:
            for order, theme in enumerate(themes):
                copy.write_row((theme["code"], theme["name_ar"], theme["name_en"], theme["description"],
                                theme["threshold"], order, version))
        documents, sentences, hits = [], [], []
        with multiprocessing.Pool(args.jobs, initializer=init_worker, initargs=(args.themes,)) as pool:
            for result in pool.imap(process, files_under(args.inputs), chunksize=32):
                counts["files"] += 1
                if result is None:
                    counts["skipped"] += 1
                    continue
                document, document_sentences, document_hits = result
                if document[1] in seen:
                    counts["copies"] += 1
                    continue
                seen.add(document[1])
                documents.append(document)
                sentences.extend(document_sentences)
                hits.extend(document_hits)
                if len(documents) >= BATCH:
                    copy_batch(cursor, documents, sentences, hits)
                    counts["documents"] += len(documents)
                    counts["sentences"] += len(sentences)
                    counts["theme_hits"] += len(hits)
                    documents, sentences, hits = [], [], []
        copy_batch(cursor, documents, sentences, hits)
        counts["documents"] += len(documents)
        counts["sentences"] += len(sentences)
        counts["theme_hits"] += len(hits)
        cursor.execute("UPDATE runs SET status = 'succeeded', finished_at = clock_timestamp(), documents_new = %s, "
                       "sentences = %s, theme_hits = %s WHERE run_id = 'baseline'",
                       (counts["documents"], counts["sentences"], counts["theme_hits"]))
    print(json.dumps(counts))


if __name__ == "__main__":
    sys.exit(main())
