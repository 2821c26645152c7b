"""Every use of a Pelican internal, in one corner (all of them are for speed).

Pelican has no public way to render only some pages, to extend its reader
cache's idea of "unchanged", or to drop one file from that cache; the preview
(:mod:`.selected`), the two-process writer (:mod:`.parallel`) and the bundle
reader (:mod:`.reader`) need all three. They go through the functions and
classes below and nowhere else, and ``tests/test_pelican_contract.py`` pins
each internal they rely on (its existence, its parameters, the behaviour used)
for the Pelican versions ``pyproject.toml`` admits: a Pelican release that
changes one fails that test, not a build in production.

The internals:

- ``Writer.write_file`` renders through ``template.render(localcontext)`` and
  writes through ``Writer._open_w(filename, encoding, override)``;
- ``Readers._get_file_stamp(filename)`` is the stamp the reader cache compares;
- ``Readers._cache`` (``FileStampDataCacher``) maps a source path to its read;
- ``ArticlesGenerator._build_period_archives(sorted_articles, articles, settings)``
  returns, per granularity, archives whose ``dates`` are the period's items and
  whose ``articles`` are ``[a for a in articles if a in dates]``: a scan of a
  list per item per period, ~7 s at 20,000 items for our month and year
  archives (plain Pelican has none by default). See :func:`fast_period_archives`;
- ``FileDataCacher.save_cache()`` pickles the whole cache (``_cache``) to
  ``_cache_path`` through ``_cache_open`` (``gzip.open`` at its default level
  9) after every build, and ``cache_data(filename, data)`` is the only way an
  entry is added. See :func:`lean_cache_saves`;
- ``Writer.write_file`` makes its listings' pages with the name ``Paginator``
  of ``pelican.writers`` (looked up at each call), asking ``page(n)`` for
  ``n = 1..num_pages``. See :func:`stable_pagination`.
"""
from __future__ import annotations

import os

from pelican.writers import Writer

from mttq.outputs import page_store

# What tests/test_pelican_contract.py checks, by dotted name and parameters.
INTERNALS = {
    "pelican.writers.Writer._open_w": ("self", "filename", "encoding", "override"),
    "pelican.readers.Readers._get_file_stamp": ("self", "filename"),
    "pelican.cache.FileStampDataCacher._cache": None,  # an attribute set in __init__
    "pelican.generators.ArticlesGenerator._build_period_archives":
        ("self", "sorted_articles", "articles", "settings"),
    "pelican.cache.FileDataCacher.__init__":
        ("self", "settings", "cache_name", "caching_policy", "load_policy"),
    "pelican.cache.FileDataCacher.cache_data": ("self", "filename", "data"),
    "pelican.cache.FileDataCacher.save_cache": ("self",),
    "pelican.cache.FileDataCacher._cache_open": None,
    "pelican.cache.FileDataCacher._cache_path": None,
    "pelican.writers.Paginator": ("name", "url", "object_list", "settings", "per_page"),
}


class _Gate:
    """A template that renders only the pages its writer accepts."""

    def __init__(self, template, writer: "GatedWriter", kwargs: dict):
        self.template = template
        self.writer = writer
        self.kwargs = kwargs

    def render(self, localcontext):
        if not self.writer.renders(localcontext, self.template, self.kwargs):
            return ""
        path = os.path.normpath(localcontext["output_file"])
        store = self.writer.store
        if store is not None:  # a publish build: an unchanged page is linked, not rendered
            key = store.key(self.template, localcontext)
            if key is None:
                store.unkeyed += 1
            elif store.link(key, os.path.join(self.writer.output_path, path)):
                store.reused[path] = key
                return ""  # written nowhere: the stored page is in place (_open_w)
            else:
                store.fresh[path] = key
        self.writer.rendered.add(path)
        return self.template.render(localcontext)

    def __getattr__(self, name):
        return getattr(self.template, name)


class GatedWriter(Writer):
    """Pelican's writer, rendering and writing only the pages ``renders()``
    accepts; the others cost a context copy and are written to nowhere
    (``content_written`` is still sent for them: the sitemap lists every page)."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.rendered: set[str] = set()
        self.store = page_store.current()  # the publish build's stored pages, if any

    def renders(self, localcontext: dict, template, kwargs: dict) -> bool:
        raise NotImplementedError

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(name, _Gate(template, self, kwargs), context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        if os.path.relpath(filename, self.output_path) not in self.rendered:
            return open(os.devnull, "w", encoding=encoding)
        try:
            if os.stat(filename).st_nlink > 1:
                # A stored page linked here earlier in this build: writing through
                # the link would change the store's copy. Write a file of its own.
                os.unlink(filename)
        except FileNotFoundError:
            pass
        return super()._open_w(filename, encoding, override)


class KeyedWriter(GatedWriter):
    """Every page, each rendered only when the page store has no copy of it
    (a publish build written by one process)."""

    def renders(self, localcontext, template, kwargs) -> bool:
        return True


def extend_reader_stamp(readers, extend) -> None:
    """Make ``readers``' cache stamp ``extend(filename, pelican_stamp)``.

    Set on the instance, after ``readers_init``: Pelican calls it when it
    compares a cached read with the file."""
    own = type(readers)._get_file_stamp

    def stamp(filename):
        return extend(filename, own(readers, filename))

    readers._get_file_stamp = stamp


def forget_read(readers, source: str) -> None:
    """Drop one source's cached read, so the next ``read_file`` reads it again
    (a replaced photo leaves ``index.md`` and its stamp as they were)."""
    if readers._cache.pop(source, None) is not None:
        readers._mttq_changed = True


def lean_cache_saves() -> None:
    """Pelican's reader cache saved only when this build changed it, and fast.

    Pelican pickles and gzips its whole cache at the end of every build, at
    gzip's slowest level: ~4 s at 20,000 items (our reads carry each item's
    record), even when nothing was read again. Here a cache that was loaded
    from its file and got no new entry (``cache_data``) and lost none
    (:func:`forget_read`) is not written: the file already holds the same
    entries (Pelican never removes one). When it is written, gzip works at
    level 1 (the file is ~25 % larger; reading it costs the same). Installed
    once, for every build in the process.
    """
    import functools
    import gzip

    from pelican.cache import FileDataCacher

    if getattr(FileDataCacher.save_cache, "_mttq_lean", False):
        return
    init, cache_data, save_cache = (FileDataCacher.__init__, FileDataCacher.cache_data,
                                    FileDataCacher.save_cache)

    def __init__(self, settings, cache_name, caching_policy, load_policy):
        init(self, settings, cache_name, caching_policy, load_policy)
        if self._cache_open is gzip.open:
            self._cache_open = functools.partial(gzip.open, compresslevel=1)
        # An empty cache is written (it may not be on disk yet); a loaded one only if changed.
        self._mttq_changed = not (load_policy and self._cache)

    def cache(self, filename, data):
        cache_data(self, filename, data)
        if self._cache_data_policy:
            self._mttq_changed = True

    def save(self):
        if getattr(self, "_mttq_changed", True) or not os.path.exists(self._cache_path):
            save_cache(self)
            self._mttq_changed = False

    save._mttq_lean = True
    FileDataCacher.__init__, FileDataCacher.cache_data, FileDataCacher.save_cache = \
        __init__, cache, save


def fast_period_archives() -> None:
    """Pelican's period archives with their ``articles`` found by identity.

    Pelican builds each month's and year's ``articles`` with
    ``[a for a in articles if a in dates]``, scanning the period's list once
    per item of the site. Items have no ``__eq__`` (``tests/test_pelican_contract.py``),
    so ``in`` is identity: the same lists come from a set of ids. Pelican's own
    method still makes the archives (given no items to filter); only their
    ``articles`` are filled here. Installed once, for every build in the process.
    """
    from pelican.generators import ArticlesGenerator

    original = ArticlesGenerator._build_period_archives
    if getattr(original, "_mttq_fast", False):
        return

    def build(self, sorted_articles, articles, settings):
        archives = original(self, sorted_articles, [], settings)
        for periods in archives.values():
            for archive in periods:
                ids = {id(item) for item in archive["dates"]}
                archive["articles"] = [item for item in articles if id(item) in ids]
        return archives

    build._mttq_fast = True
    ArticlesGenerator._build_period_archives = build


def stable_pagination() -> None:
    """Every listing of the site cut by :class:`mttq.outputs.pagination.StablePaginator`:
    its older pages keep their items when one is added, so a publish after one
    merge rewrites a few pages per listing instead of all of them. Pelican's
    writer builds its paginators inline, with no setting or signal to choose the
    class: the name it looks up is replaced. Installed once, for every build in
    the process (our builds only: plain Pelican in ``bench/`` runs in its own)."""
    import pelican.writers

    from mttq.outputs.pagination import StablePaginator

    pelican.writers.Paginator = StablePaginator
