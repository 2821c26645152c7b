"""Render the pages on two cores: a second process writes the item pages.

Pelican renders every page in one process, one core. Most of a warm build's
time is spent rendering pages: each item's page (with its related items) and
the listings (home, topics, units, keywords, month and year archives). Once
every generator has its context (``all_generators_finalized``), this module
forks a process that renders the item and keyword pages (``SECOND_TEMPLATES``;
the related items are computed there, see ``links.py``) while the build
process renders everything else and places the photos, and a third builds
the search index (``search.py``). The fork sees the same articles, settings
and templates (nothing is pickled), so each page is rendered exactly as one
process would render it; the build waits for it at ``finalized`` and fails if
it failed, re-logging its warnings and errors.

Only on Linux (where ``fork`` is safe and the default), with ``MTTQ_WORKERS`` not 1, and for
sites of ``MTTQ_PARALLEL_MIN_ITEMS`` (200) items or more;
``MTTQ_PARALLEL_WRITING = False`` turns it off.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import traceback

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.utils import sanitised_join

from mttq.settings import with_defaults
from mttq.outputs import page_store
from .speed import GatedWriter, KeyedWriter

log = logging.getLogger(__name__)

# Templates of the pages the second process renders: item pages (with their
# related items, computed there) and keyword listings, all written by Pelican's
# ArticlesGenerator — the only generator the second process runs.
SECOND_TEMPLATES = frozenset({"article.html", "tag.html"})
_JOB = "_MTTQ_PARALLEL_JOB"  # settings key of the running job (internal)


class ShardWriter(GatedWriter):
    """The build process's writer: every page but the second process's."""

    def write_file(self, name, template, context, *args, **kwargs):
        if getattr(template, "name", None) in SECOND_TEMPLATES:
            if kwargs.get("paginated") is None and "articles" not in kwargs:
                # One page the other process writes: only tell the sitemap.
                signals.content_written.send(
                    sanitised_join(self.output_path, name),
                    context={**kwargs, "output_file": name})
                return None
        return super().write_file(name, template, context, *args, **kwargs)

    def renders(self, localcontext, template, kwargs) -> bool:
        return getattr(template, "name", None) not in SECOND_TEMPLATES


class _SecondWriter(GatedWriter):
    """The second process's writer: its templates' pages only."""

    def write_file(self, name, template, context, *args, **kwargs):
        if getattr(template, "name", None) not in SECOND_TEMPLATES:
            return None
        return super().write_file(name, template, context, *args, **kwargs)

    def renders(self, localcontext, template, kwargs) -> bool:
        return True

    def write_feed(self, *args, **kwargs):  # feeds are the build process's
        return None


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


def _second_shard(generators, output_path, settings, connection) -> None:
    """The forked process: Pelican's remaining step before writing, then the
    ArticlesGenerator's pages of shard 1."""
    records = _Records()
    logging.getLogger().addHandler(records)
    try:
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        writer = _SecondWriter(output_path, settings=settings)
        for generator in generators:
            if isinstance(generator, ArticlesGenerator):
                generator.generate_output(writer)
        store = writer.store
        pages = (store.reused, store.fresh, store.unkeyed) if store is not None else None
        outcome = ("ok", records.records, (len(writer.rendered), pages))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the build
        outcome = ("error", records.records,
                   f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}")
    try:
        connection.send(outcome)
        connection.close()
    finally:
        os._exit(0)


class _Job:
    def __init__(self, generators, settings):
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        output_path = generators[0].output_path
        self.process = context.Process(target=_second_shard,
                                       args=(generators, output_path, settings, sender),
                                       daemon=True)
        self.process.start()
        sender.close()
        self.receiver = receiver

    def finish(self) -> None:
        try:
            outcome = self.receiver.recv()
        except EOFError:
            outcome = ("error", [], f"exit code {self.process.exitcode}")
        self.process.join()
        status, records, detail = outcome
        for level, message in records:
            log.log(level, "%s", message)
        if status != "ok":
            raise RuntimeError(f"Tiến trình dựng trang thứ hai lỗi: {detail}")
        _, pages = detail
        store = page_store.current()
        if store is not None and pages is not None:
            store.merge(*pages)


def _wanted(generators, settings) -> bool:
    if settings.get("MTTQ_PARALLEL_WRITING") is False:
        return False
    if (settings.get("MTTQ_WORKERS") or os.cpu_count() or 1) < 2:
        return False
    if not sys.platform.startswith("linux"):
        return False
    store = page_store.current()
    if store is not None and store.warm:
        # The page store holds the previous build of this code and theme: most
        # pages will be linked, not rendered. The second process would then
        # spend more on its start (related items, the items' fingerprints, done
        # again there) than it saves (1,000 items, nothing changed: 6.0 s on
        # one process, 9.9 s on two).
        return False
    articles = sum(len(g.articles) for g in generators if isinstance(g, ArticlesGenerator))
    return articles >= settings.get("MTTQ_PARALLEL_MIN_ITEMS", 200)


def start(generators) -> None:
    """``all_generators_finalized`` (connected last): fork the second process."""
    if not generators:
        return
    settings = with_defaults(generators[0].settings)
    settings.pop(_JOB, None)
    if _wanted(generators, settings):
        settings[_JOB] = _Job(generators, settings)


def finish(pelican) -> None:
    """``finalized``: wait for the second process; its failure fails the build."""
    job = pelican.settings.pop(_JOB, None)
    if job is not None:
        job.finish()


def get_writer(pelican):
    if pelican.settings.get(_JOB) is not None:
        return ShardWriter
    if page_store.current() is not None:
        return KeyedWriter
    return None


def register():
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(finish)
