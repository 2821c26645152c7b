"""Figures of the search index for docs/search.md (not a test).

    .venv/bin/python -m tests.browser.measure_search [ITEMS]

Builds the index of ITEMS synthetic items (default 5,000), prints its size
(raw and gzip), its build time, and what a few queries download. The query
times in the browser come from test_search.py (test-artifacts/search-timing.json).
"""
from __future__ import annotations

import bisect
import gzip
import sys
import time

from mttq.outputs.search_index import build_index, fold, words

from .synthetic import NEEDLES, synthetic_docs

QUERIES = ["mặt trận", "dai doan ket", "ho ngheo", "doan dai bieu takeo", "nong thon moi",
           "giám sát", "chol chnam thmay"]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def main(items: int = 5000) -> None:
    docs = synthetic_docs(items, needles=NEEDLES)
    started = time.process_time()
    index = build_index(docs)
    seconds = time.process_time() - started
    files = index.files
    chunks = {p: b for p, b in files.items() if p.startswith("t/")}
    frags = {p: b for p, b in files.items() if p.startswith("f/")}
    print(f"items {index.docs}, terms {index.terms} (syllables and pairs), build {seconds:.1f} s CPU")
    print(f"term chunks: {len(chunks)} files, {sum(map(len, chunks.values())) / 1e6:.2f} MB raw, "
          f"{sum(map(gz, chunks.values())) / 1e6:.2f} MB gzip; "
          f"median {sorted(map(gz, chunks.values()))[len(chunks) // 2] / 1e3:.1f} KB gzip")
    print(f"fragments: {len(frags)} files, {sum(map(len, frags.values())) / 1e6:.2f} MB raw, "
          f"{sum(map(gz, frags.values())) / 1e6:.2f} MB gzip, "
          f"{sum(map(gz, frags.values())) / len(frags) / 1e3:.1f} KB gzip each")
    print(f"meta.json: {len(files['meta.json']) / 1e3:.1f} KB raw, {gz(files['meta.json']) / 1e3:.1f} KB gzip")
    import json
    firsts = [c[0] for c in json.loads(files["meta.json"])["chunks"]]
    for query in QUERIES:
        terms = [f for f, _ in words(query)]
        keys = terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]
        needed = {bisect.bisect_right(firsts, k) - 1 for k in keys}
        size = gz(files["meta.json"]) + sum(gz(chunks[f"t/{n}.json"]) for n in needed)
        print(f"  {query!r:24} -> {fold(query)!r:24} {len(needed)} chunks, {size / 1e3:.0f} KB gzip "
              f"(+ ~{10 * sum(map(gz, frags.values())) / len(frags) / 1e3:.0f} KB for 10 results)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
