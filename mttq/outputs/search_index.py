"""The site's search index: built at build time, queried by a small script.

Readers search in Vietnamese, often without diacritics: "mat tran" must find
"Mặt trận" and "doan" must find "Đoàn". So every word is indexed by its
*folded* form (marks stripped, ``đ`` -> ``d``, lower case), and the exact
forms seen for it are kept beside it, so that a query typed with diacritics
still ranks the exact word first ("đoàn" before "đoạn").

Vietnamese words are mostly two or three syllables written apart ("Mặt trận",
"đại đoàn kết"), so syllables are the terms and adjacent syllable pairs are
indexed too: a query "mat tran" scores the phrase above pages that merely
contain "mặt" and "trận" somewhere.

Files (all JSON, written under one folder named by the index's content hash,
so a host may cache them for ever; the search page names the folder):

- ``meta.json``: ``{"v": 1, "n": docs, "avg": 0, "chunks": [[first_key, file], …]}``
- ``t/<k>.json``: a chunk of the sorted term dictionary: ``{term: entry}`` where
  a syllable's entry is ``[[variants…], d, w, m, d, w, m, …]`` (doc id delta,
  weight, bit mask of the variants in that doc) and a pair's entry
  (``"mat tran"``) is ``[0, d, w, d, w, …]``. Weights are BM25 term parts
  (field-boosted, length-normalised) times 10, rounded; the script multiplies
  them by the term's idf.
- ``f/<id>.json``: what a result shows: url, title, summary, date, kind, topic,
  unit and the plain text for the snippet (loaded only for shown results).

Everything here is plain Python; ``plugins/mttq_site/search.py`` hands it the
site's items and writes the files. ``theme/static/js/search.js`` is the reader.
"""
from __future__ import annotations

import hashlib
import html as html_lib
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field

FORMAT_VERSION = 1
# Field boosts: a word of the title counts as six of the body, and so on.
FIELD_WEIGHTS = {"title": 6.0, "tags": 4.0, "summary": 3.0, "meta": 1.5, "body": 1.0}
BM25_K1 = 1.2
BM25_B = 0.75
WEIGHT_SCALE = 10  # stored weights are ints: round(bm25 part * scale)
CHUNK_BYTES = 40_000  # target size of one term chunk (uncompressed)
SNIPPET_CHARS = 6_000  # body text kept for snippets (the index uses all of it)

_MARKS = re.compile("[\u0300-\u036f]")  # the combining marks Vietnamese uses
_WORD = re.compile(r"[^\W_]+")
_FAST_WORD = re.compile(r"\w+")  # the same, on text whose "_" became spaces
# Pairs are formed within a phrase only: punctuation ends it.
_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’«»…/|\n\r\t–—-]+")


def fold(text: str) -> str:
    """Search key of ``text``: NFD, combining marks dropped, đ -> d, lower case.

    The script does exactly the same (``normalize("NFD")``, strip U+0300–036F,
    đ -> d, ``toLowerCase``), so both sides always agree.
    """
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def words(text: str) -> list[tuple[str, str]]:
    """``[(folded, exact), …]`` of the words of ``text`` in order (as a query is read)."""
    return [(fold(w), w) for w in _WORD.findall(unicodedata.normalize("NFC", text).lower())]


def _phrase_words(text: str) -> list[list[str]]:
    """Exact (NFC, lower-case) words of ``text``, phrase by phrase."""
    text = unicodedata.normalize("NFC", text).lower().replace("_", " ")
    return [w for part in _PHRASE_BREAK.split(text) if (w := _FAST_WORD.findall(part))]


class _TextOf:
    """Plain text of sanitised item HTML (block elements end a phrase)."""

    _TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
    _BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "br",
              "tr", "td", "th", "blockquote", "ul", "ol", "figure", "table", "pre"}

    @classmethod
    def convert(cls, markup: str) -> str:
        markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
        text = cls._TAG.sub(lambda m: "\n" if m.group(2).lower() in cls._BLOCK else "", markup)
        text = html_lib.unescape(text)
        text = re.sub(r"[ \t\u00a0]+", " ", text)
        return re.sub(r"\s*\n\s*", "\n", text).strip()


def html_text(markup: str) -> str:
    return _TextOf.convert(markup or "")


@dataclass
class SearchDoc:
    """One searchable page: an item (tin, bài) or a site page."""

    url: str  # as the page links it ("/tin-bai/slug/" or absolute)
    title: str
    summary: str = ""
    body: str = ""  # plain text
    tags: tuple[str, ...] = ()
    meta: str = ""  # topic and unit names: found, but weakly
    date: str = ""  # dd/mm/yyyy as shown
    kind: str = ""  # "Tin", "Bài", "Trang"
    section: str = ""  # topic name
    unit: str = ""
    extra: dict = field(default_factory=dict)

    def fields(self) -> dict[str, str]:
        return {"title": self.title, "tags": "\n".join(self.tags), "summary": self.summary,
                "meta": self.meta, "body": self.body}

    def fragment(self) -> dict:
        data = {"u": self.url, "t": self.title, "s": self.summary, "d": self.date,
                "k": self.kind, "c": self.section, "n": self.unit,
                "x": self.body[:SNIPPET_CHARS]}
        data.update(self.extra)
        return {k: v for k, v in data.items() if v}


@dataclass
class SearchIndex:
    files: dict[str, bytes]  # relative path -> bytes
    version: str  # content hash: the folder name
    docs: int
    terms: int

    def total_bytes(self, prefix: str = "") -> int:
        return sum(len(b) for p, b in self.files.items() if p.startswith(prefix))


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Tokens:
    """What the index takes from one doc, from its text alone: the part of a
    build's index that does not depend on the other docs, so it is kept between
    builds (``plugins/mttq_site/search.py``) and only new or edited items are
    tokenised again.

    ``words`` are the doc's exact forms (NFC, lower case), each once, with
    ``weights`` their field-boosted counts *doubled* (the boosts are multiples of
    0.5, so the sums are exact integers and their order does not matter);
    ``pairs`` are adjacent words within a phrase, as indexes into ``words``
    (``array("I")``: first, second, doubled weight, …), ``length`` the body's
    word count. Arrays as bytes: 20,000 items' tokens stay a few hundred MB
    smaller than lists of Python ints.
    """

    length: int
    words: tuple[str, ...]
    weights: bytes
    pairs: bytes

    def as_tuple(self) -> tuple:  # for marshal, which knows no dataclasses
        return self.length, self.words, self.weights, self.pairs


def tokenise(doc: SearchDoc) -> Tokens:
    positions: dict[str, int] = {}
    weights = array("I")
    pair_weights: dict[tuple[int, int], int] = {}
    length = 0
    for name, text in doc.fields().items():
        if not text:
            continue
        boost = round(FIELD_WEIGHTS[name] * 2)
        found = _phrase_words(text)
        if name == "body":
            length += sum(map(len, found))
        for phrase in found:
            ids = []
            for word in phrase:
                at = positions.get(word)
                if at is None:
                    at = positions[word] = len(weights)
                    weights.append(0)
                weights[at] += boost
                ids.append(at)
            for pair in zip(ids, ids[1:]):
                pair_weights[pair] = pair_weights.get(pair, 0) + boost
    pairs = array("I")
    for (first, second), weight in pair_weights.items():
        pairs.extend((first, second, weight))
    return Tokens(max(length, 1), tuple(positions), weights.tobytes(), pairs.tobytes())


def build_index(docs: list[SearchDoc], pairs: bool = True,
                chunk_bytes: int = CHUNK_BYTES) -> SearchIndex:
    """The index files of ``docs`` (doc ids are their positions in ``docs``)."""
    return index_of([(fragment_bytes(doc), tokenise(doc)) for doc in docs], pairs, chunk_bytes)


def fragment_bytes(doc: SearchDoc) -> bytes:
    """The file ``f/<id>.json`` of ``doc`` (what a result shows)."""
    return _dump(doc.fragment())


def index_of(entries: list[tuple[bytes, Tokens]], pairs: bool = True,
             chunk_bytes: int = CHUNK_BYTES) -> SearchIndex:
    """The index files of docs given by their fragments and :class:`Tokens`."""
    # Pass 1: how many docs use each exact form.
    form_docs: Counter = Counter()
    for _, tokens in entries:
        form_docs.update(tokens.words)
    lengths = [tokens.length for _, tokens in entries]
    folded_of = {word: fold(word) for word in form_docs}
    # Variants of a folded syllable, commonest first: bit i = variants[i].
    variants: dict[str, list[str]] = {}
    for word, _ in sorted(form_docs.items(), key=lambda kv: (-kv[1], kv[0])):
        variants.setdefault(folded_of[word], []).append(word)
    bit_of = {w: (1 << i if i < 30 else 0) for forms in variants.values()
              for i, w in enumerate(forms)}
    average = sum(lengths) / len(lengths) if lengths else 1.0
    k1, b, scale = BM25_K1, BM25_B, WEIGHT_SCALE

    # Pass 2: postings, doc by doc (ids ascend, so deltas come for free).
    postings: dict[str, list] = {}
    last: dict[str, int] = {}
    for doc_id, (_, tokens) in enumerate(entries):
        doc_norm = k1 * (1 - b + b * tokens.length / average)
        words = tokens.words
        folded_words = [folded_of[word] for word in words]
        syllables: dict[str, int] = {}
        masks: dict[str, int] = {}
        for word, folded, weight in zip(words, folded_words, array("I", tokens.weights)):
            syllables[folded] = syllables.get(folded, 0) + weight
            masks[folded] = masks.get(folded, 0) | bit_of[word]
        joined: dict[str, int] = {}
        if pairs:
            flat = array("I", tokens.pairs)
            for at in range(0, len(flat), 3):
                key = f"{folded_words[flat[at]]} {folded_words[flat[at + 1]]}"
                joined[key] = joined.get(key, 0) + flat[at + 2]
        for term, doubled in syllables.items():
            tf = doubled / 2
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = [variants[term]]
            entry += (doc_id - last.get(term, 0),
                      max(1, round(tf * (k1 + 1) / (tf + doc_norm) * scale)), masks[term])
            last[term] = doc_id
        for term, doubled in joined.items():
            tf = doubled / 2
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = [0]
            entry += (doc_id - last.get(term, 0),
                      max(1, round(tf * (k1 + 1) / (tf + doc_norm) * scale)))
            last[term] = doc_id

    files: dict[str, bytes] = {}
    chunks: list[list[str]] = []
    current: dict[str, list] = {}
    size = 0
    for term in sorted(postings):
        entry = postings[term]
        # A cheap estimate of the entry's JSON size (ints of 1-3 digits).
        encoded = len(term.encode()) + 4 + 3 * len(entry) + (
            sum(len(v) + 3 for v in entry[0]) * 2 if entry[0] else 0)
        if current and size + encoded > chunk_bytes:
            chunks.append(_close_chunk(current, files, len(chunks)))
            current, size = {}, 0
        current[term] = entry
        size += encoded
    if current:
        chunks.append(_close_chunk(current, files, len(chunks)))
    for doc_id, (fragment, _) in enumerate(entries):
        files[f"f/{doc_id}.json"] = fragment
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    meta = {"v": FORMAT_VERSION, "n": len(entries), "chunks": chunks}
    files["meta.json"] = _dump(meta)
    digest.update(files["meta.json"])
    return SearchIndex(files, digest.hexdigest()[:12], len(entries), len(postings))


def _close_chunk(terms: dict[str, list], files: dict[str, bytes], number: int) -> list[str]:
    name = f"t/{number}.json"
    files[name] = _dump(terms)
    return [next(iter(terms)), str(number)]


def idf(documents: int, frequency: int) -> float:
    """BM25 idf, as the script computes it."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def write_index(index: SearchIndex, folder) -> None:
    from pathlib import Path

    folder = Path(folder)
    for relative, data in index.files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
