"""The search page (``tim-kiem/``) and its index, written with the site.

A thin adapter: :mod:`mttq.outputs.search_index` builds the index from the published
items and pages; this generator writes its files into a folder named by their
content hash (``tim-kiem/<hash>/``, cacheable for ever) and renders the page
that names that folder, so a page and its index always match. The index is
built while the pages are rendered, in a second process where there is a
second core (``all_generators_finalized`` starts it, ``generate_output`` waits
for it), and kept in the cache (``<MTTQ_CACHE_DIR>/search-index/``): a build
whose items and pages give the same :func:`fingerprint` reuses it. Each doc's
fragment and tokens are kept too (``search-tokens-*.marshal``, by
:func:`doc_keys`), so a build after one merge tokenises one item, not all of
them (tokenising was two thirds of the index's time at 20,000 items).
"""
from __future__ import annotations

import hashlib
import json
import logging
import marshal
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path

from pelican.generators import Generator

from mttq.outputs.presentation import vn_date
from mttq.outputs import search_index
from mttq.outputs import manifest
from mttq.outputs.search_index import FORMAT_VERSION, SearchDoc, html_text, index_of, write_index
from mttq.settings import with_defaults

log = logging.getLogger(__name__)
KEEP_INDEXES = 3  # indexes kept in the cache


def _absolute(siteurl: str, url: str) -> str:
    return f"{siteurl}/{url}"


def item_doc(article, siteurl: str) -> SearchDoc:
    category = getattr(article, "category", None)
    unit = getattr(article, "unit", None)
    names = [getattr(category, "name", ""), getattr(unit, "name", ""), str(getattr(article, "author", ""))]
    return SearchDoc(
        url=_absolute(siteurl, article.url),
        title=article.title,
        summary=getattr(article, "summary_text", "") or html_text(getattr(article, "summary", "")),
        body=html_text(article.content),
        tags=tuple(tag.name for tag in getattr(article, "tags", None) or ()),
        meta="\n".join(n for n in names if n),
        date=vn_date(article.date),
        kind=getattr(article, "type_name", ""),
        section=getattr(category, "name", ""),
        unit=getattr(unit, "name", ""),
    )


def page_doc(page, siteurl: str) -> SearchDoc:
    return SearchDoc(url=_absolute(siteurl, page.url), title=page.title,
                     body=html_text(page.content), kind="Trang")


def _article_fields(article) -> tuple:
    """Everything :func:`item_doc` reads of an item."""
    category, unit = getattr(article, "category", None), getattr(article, "unit", None)
    return (article.url, article.title, getattr(article, "summary_text", ""),
            getattr(article, "summary", ""), article.content,
            [t.name for t in getattr(article, "tags", None) or ()],
            getattr(category, "name", ""), getattr(unit, "name", ""),
            str(getattr(article, "author", "")), vn_date(article.date),
            getattr(article, "type_name", ""))


def doc_keys(articles, pages, siteurl: str) -> list[bytes]:
    """One key per doc (items, then pages): a hash of what its search doc is
    made of and of the indexer's code. The same key gives the same fragment and
    :class:`~mttq.outputs.search_index.Tokens`, kept between builds."""
    code = hashlib.sha256(f"{FORMAT_VERSION}\0{siteurl}\0".encode())
    code.update(Path(search_index.__file__).read_bytes())  # a change of the indexer
    code.update(Path(__file__).read_bytes())  # or of item_doc
    prefix = code.digest()

    def key(kind: bytes, fields: tuple) -> bytes:
        return hashlib.blake2b(prefix + kind + repr(fields).encode("utf-8", "surrogatepass"),
                               digest_size=16).digest()

    return ([key(b"a", _article_fields(a)) for a in articles]
            + [key(b"p", (p.url, p.title, p.content)) for p in pages])


def fingerprint(keys: list[bytes]) -> str:
    """The whole index's name in the cache: the same docs give the same index
    (a warm rebuild reuses it instead of rebuilding)."""
    return hashlib.sha256(b"".join(keys)).hexdigest()[:24]


def _tokens_file(cache_dir: Path, siteurl: str) -> Path:
    # One per address: the preview and the publish build (their urls differ) keep their own.
    name = hashlib.sha256(siteurl.encode()).hexdigest()[:8]
    return cache_dir / f"search-tokens-{name}.marshal"


def _load_tokens(path: Path) -> dict:
    """The docs tokenised by earlier builds: key -> (fragment, tokens as a tuple).
    marshal, not JSON or pickle: 20,000 items' words load in a second; a file
    that does not load (missing, cut short, another Python) means tokenising again."""
    try:
        loaded = marshal.loads(path.read_bytes())
        return loaded if isinstance(loaded, dict) else {}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def _entries(articles, pages, siteurl: str, keys: list[bytes], known: dict) -> tuple[list, dict]:
    """The index's entries (fragment, tokens), taking known docs from ``known``;
    and the table to keep for the next build (this build's docs only)."""
    entries, kept = [], {}
    made = [(a, item_doc) for a in articles] + [(p, page_doc) for p in pages]
    for (content, make), key in zip(made, keys):
        stored = known.get(key)
        if stored is None:
            doc = make(content, siteurl)
            tokens = search_index.tokenise(doc)
            stored = (search_index.fragment_bytes(doc), tokens.as_tuple())
        fragment, (length, words, weights, pairs) = stored
        entries.append((fragment, search_index.Tokens(length, words, weights, pairs)))
        kept[key] = stored
    return entries, kept


def _link_tree(source: Path, target: Path) -> None:
    for folder, _, files in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(os.path.join(folder, name), destination / name)
            except OSError:
                shutil.copyfile(os.path.join(folder, name), destination / name)


def _build_and_write(articles, pages, siteurl: str, folder: Path, cache: Path, keys: list[bytes],
                     tokens_file: Path, connection=None):
    """Build the index of the items and pages into ``cache`` (files and
    ``result.json``), then place it under ``folder/<version>/``; keep the docs'
    tokens in ``tokens_file`` for the next build."""
    try:
        entries, kept = _entries(articles, pages, siteurl, keys, _load_tokens(tokens_file))
        index = index_of(entries)
        result = ("ok", index.version, index.docs, index.terms, index.total_bytes("t/"))
        building = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        write_index(index, building / "files")
        (building / "result.json").write_text(json.dumps(result[1:]))
        shutil.rmtree(cache, ignore_errors=True)
        os.replace(building, cache)
        kept_indexes = sorted((p for p in cache.parent.iterdir() if not p.name.endswith(".tmp")),
                              key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept_indexes[KEEP_INDEXES:]:  # a few: the dev and publish builds have their own
            shutil.rmtree(old, ignore_errors=True)
        _link_tree(cache / "files", folder / index.version)
        saving = tokens_file.with_name(f"{tokens_file.name}.{os.getpid()}.tmp")
        saving.write_bytes(marshal.dumps(kept))
        os.replace(saving, tokens_file)
    except Exception as exc:  # reported by the build, in the parent process
        result = ("error", f"{type(exc).__name__}: {exc}")
    if connection is None:
        return result
    connection.send(result)
    connection.close()


class _IndexJob:
    """The index built beside the page rendering: in a forked process on Linux
    (a 2-core machine renders pages on one core and
    builds the index on the other), else right away in this process. An index
    of the same items and pages is reused from the cache."""

    def __init__(self, articles, pages, siteurl: str, folder: Path, cache_dir: Path,
                 parallel: bool):
        self.started = time.perf_counter()
        self.process = None
        keys = doc_keys(articles, pages, siteurl)
        cache = cache_dir / "search-index" / fingerprint(keys)
        tokens_file = _tokens_file(cache_dir, siteurl)
        try:
            self.outcome = ("ok", *json.loads((cache / "result.json").read_text()))
            _link_tree(cache / "files", folder / self.outcome[1])
            self.reused = True
            return
        except (OSError, ValueError):
            self.reused = False
        if parallel and sys.platform.startswith("linux"):
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            # Forked: the child sees the articles as they are (nothing is pickled).
            self.process = context.Process(
                target=_build_and_write,
                args=(articles, pages, siteurl, folder, cache, keys, tokens_file, sender),
                daemon=True)
            self.process.start()
            sender.close()
            self.receiver = receiver
        else:
            self.outcome = _build_and_write(articles, pages, siteurl, folder, cache, keys,
                                            tokens_file)

    def result(self):
        if self.process is not None:
            try:
                self.outcome = self.receiver.recv()
            except EOFError:
                self.outcome = ("error", f"tiến trình dựng mục lục dừng (mã {self.process.exitcode})")
            self.process.join()
            self.process = None
        if self.outcome[0] == "error":
            raise RuntimeError(f"Không dựng được mục lục tìm kiếm: {self.outcome[1]}")
        return self.outcome[1:]


class SearchPageGenerator(Generator):
    def generate_context(self):
        settings = with_defaults(self.settings)
        self.context["search_url"] = settings["MTTQ_SEARCH_URL"]
        self.job = None

    def start_index(self):
        """Called once every generator has its context (``all_generators_finalized``)."""
        settings = with_defaults(self.settings)
        parallel = (settings["MTTQ_WORKERS"] or os.cpu_count() or 1) > 1
        self.job = _IndexJob(list(self.context.get("articles", [])),
                             list(self.context.get("pages", [])), settings["SITEURL"],
                             Path(self.output_path) / settings["MTTQ_SEARCH_URL"],
                             Path(settings["MTTQ_CACHE_DIR"]), parallel)

    def generate_output(self, writer):
        settings = with_defaults(self.settings)
        if self.job is None:
            self.start_index()
        version, docs, terms, size = self.job.result()
        folder = f"{settings['MTTQ_SEARCH_URL']}{version}/"
        if manifest.current() is not None:
            manifest.current().add_folder(folder)
        log.info("Tìm kiếm: %d trang, %d từ, %d KB mục lục (%.1f s%s)", docs, terms, size // 1024,
                 time.perf_counter() - self.job.started, ", đã có sẵn" if self.job.reused else "")
        writer.write_file(
            settings["MTTQ_SEARCH_SAVE_AS"], self.get_template("search"), self.context,
            settings["RELATIVE_URLS"], template_name="search", url=settings["MTTQ_SEARCH_URL"],
            search_index_path=folder, page_name=settings["MTTQ_SEARCH_URL"].rstrip("/"),
        )


def start_index(generators):
    for generator in generators:
        if isinstance(generator, SearchPageGenerator):
            generator.start_index()


def get_generators(pelican):
    return SearchPageGenerator
