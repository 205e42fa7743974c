#!/usr/bin/env python3
"""Seeded, reproducible samples of real corpus sentences for labelling by the theme codebook.

    scripts/theme-sample.py random SEED N          one random sentence from each of N random articles
    scripts/theme-sample.py titles SEED N [mideast] titles of N random news articles (to choose articles by reading)
    scripts/theme-sample.py article PATH [K]       the first K sentences (default 6) of one article

Articles whose text holds a sentence of an existing real-news fixture (themes-dev, -holdout, -holdout2) are
left out, and so are their byte-identical copies (same sha256 in the corpus manifests). Sentences are split at
line breaks and at . ! ? ؟ … followed by white space; a sentence needs at least 5 words and 15 Arabic letters,
and the Al-Weeam link line and Ain Alyoum tag lists (page chrome, not sentences) are skipped.
Output: path<TAB>sentence (or index<TAB>path<TAB>title).
"""
import csv, os, random, re, subprocess, sys

ROOT = os.environ.get('BAYAN_CORPUS', '/work/shared/corpus')
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Tests', 'Fixtures')
EXISTING = ['themes-dev.tsv', 'themes-holdout.tsv', 'themes-holdout2.tsv']
TERM = re.compile(r'([.!?؟…]+["”»\'’)\]]*)(\s+|$)')


def sentences(text):
    out = []
    for line in text.split('\n'):
        line = line.strip().replace('\ufeff', '')
        start = 0
        for m in TERM.finditer(line):
            s = line[start:m.end(1)].strip()
            if s:
                out.append(s)
            start = m.end()
        s = line[start:].strip()
        if s:
            out.append(s)
    return out


def usable(s):
    if len(s.split()) < 5 or len(re.findall(r'[\u0621-\u064A]', s)) < 15 or '\t' in s:
        return False
    return not (s.startswith('رابط الخبر') or s.startswith('سمات ') or s.startswith('. سمات'))


def manifest():
    rows = []
    for src in ['ant-jawharafm', 'ant-multisource', 'saudinewsnet']:
        with open(f'{ROOT}/{src}/MANIFEST.tsv') as f:
            for row in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE):
                rows.append((f'{src}/{row["path"]}', row['sha256'], row.get('category') or row.get('url_section') or ''))
    return rows


def used_articles():
    keys = set()
    for name in EXISTING:
        for line in open(os.path.join(FIXTURES, name), encoding='utf-8'):
            text = line.split('\t')[0].strip()
            if len(text) >= 30:
                keys.add(text[5:45])
    key_file = '/tmp/theme-sample-keys.txt'
    with open(key_file, 'w') as f:
        f.write('\n'.join(sorted(keys)) + '\n')
    found = subprocess.run(['grep', '-rlF', '-f', key_file, ROOT, '--include=*.txt'], capture_output=True, text=True).stdout
    return {p[len(ROOT) + 1:] for p in found.split()}


def pool():
    rows = manifest()
    used = used_articles()
    used_sha = {sha for path, sha, _ in rows if path in used}
    seen, out = set(), []
    for path, sha, category in sorted(rows):
        if sha in used_sha or sha in seen:
            continue
        seen.add(sha)
        out.append((path, category))
    return out


def main(argv):
    mode = argv[1]
    if mode == 'random':
        seed, n = int(argv[2]), int(argv[3])
        order = [p for p, _ in pool()]
        rng = random.Random(seed)
        rng.shuffle(order)
        picked = 0
        for path in order:
            cands = [s for s in sentences(open(f'{ROOT}/{path}', encoding='utf-8').read()) if usable(s)]
            if not cands:
                continue
            print(f'{path}\t{rng.choice(cands)}')
            picked += 1
            if picked == n:
                break
    elif mode == 'titles':
        seed, n = int(argv[2]), int(argv[3])
        sections = ('internationalNews', 'middleEast') if len(argv) > 4 else ('internationalNews', 'middleEast', 'politic', 'localNews')
        arts = [p for p, c in pool() if c in sections or (len(argv) <= 4 and p.startswith('saudinewsnet/'))]
        random.Random(seed).shuffle(arts)
        for i, path in enumerate(arts[:n]):
            print(f'{i}\t{path}\t{open(f"{ROOT}/{path}", encoding="utf-8").readline().strip()[:110]}')
    elif mode == 'article':
        k = int(argv[3]) if len(argv) > 3 else 6
        for s in [s for s in sentences(open(f'{ROOT}/{argv[2]}', encoding='utf-8').read()) if usable(s)][:k]:
            print(f'{argv[2]}\t{s}')


if __name__ == '__main__':
    main(sys.argv)
