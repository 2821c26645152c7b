"""Rewrite only the pages that show one edited item: the preview's fast path.

Pelican always rebuilds everything (and 4.12 removed its ``WRITE_SELECTED``
setting). The preview server (:mod:`mttq.commands.preview`) keeps the context of its
last full build in memory instead: a full build given ``MTTQ_PREVIEW`` (an
object with an ``attach`` method) hands it, once every generator has its
context, a function that rebuilds one item of that build in place:

1. the item is read again (through Pelican's readers, as a build reads it);
2. if the edit changed what places the item in listings (:func:`listing_key`:
   its address, status, date, topic, unit, tags, type, column), nothing is
   written and the preview runs a full build;
3. otherwise the item's Pelican object takes the new text, photos and
   metadata *in place*, so every list of the build that holds it (listings,
   neighbours' previous/next, related items, unit pages) shows the edit;
4. its photos' renditions are placed (encoded when new);
5. the generators that write pages replay their output with
   :class:`SelectedWriter`, which renders only the pages showing the item:
   its own page, the pages of items that link it (previous/next, related),
   the page of each listing that holds it and the first page of each such
   listing (the home page's topic blocks), and any other page given it.

Everything else (feeds, search index, editors' reports, sitemap) waits for the
next full build. A test builds both ways and compares the pages byte for byte.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator

from mttq.photos.renditions import publish_renditions
from mttq.settings import with_defaults
from .speed import GatedWriter, forget_read

# Generators whose output the selected rewrite replays (they write through the
# writer only); the others write files of their own (feeds, search index,
# reports, static files) and wait for the next full build.
REPLAYED = ("ArticlesGenerator", "PagesGenerator", "UnitPagesGenerator", "ColumnPagesGenerator")
_LISTS = ("articles", "dates", "all_articles")  # whole listings passed to paginated pages


@dataclass(frozen=True)
class Selection:
    sources: frozenset[str]  # absolute source paths of the edited items


def listing_key(article) -> tuple:
    """What places an item in listings and pages. While it is unchanged by an
    edit, the same pages list the item at the same places."""
    def slug(value):
        return getattr(value, "slug", None)

    return (
        article.save_as, article.status, str(article.date),
        slug(getattr(article, "category", None)), slug(getattr(article, "unit", None)),
        tuple(slug(t) for t in getattr(article, "tags", None) or ()),
        getattr(article, "type", None), getattr(article, "column", None),
    )


def _shows(obj, sources) -> bool:
    return getattr(obj, "source_path", None) in sources


def _holds(value, sources, depth: int = 3) -> bool:
    """Whether ``value`` (a page argument: lists, dicts, tuples) holds an item."""
    if _shows(value, sources):
        return True
    if depth == 0 or isinstance(value, (str, bytes)):
        return False
    if isinstance(value, dict):
        value = value.values()
    if isinstance(value, (list, tuple, set, frozenset, type({}.values()))):
        return any(_holds(v, sources, depth - 1) for v in value)
    return False


def page_shows(values: dict, selection: Selection) -> bool:
    """Whether the page rendered with ``values`` (template variables) shows an
    edited item."""
    sources = selection.sources
    for key in ("article", "page"):
        content = values.get(key)
        if content is not None and hasattr(content, "source_path"):
            if _shows(content, sources):
                return True
            linked = [getattr(content, "previous_item", None), getattr(content, "next_item", None),
                      *(getattr(content, "related_items", None) or ())]
            if any(_shows(other, sources) for other in linked):
                return True
    for key, value in values.items():
        if (key.endswith("_page") and not key.endswith(("_previous_page", "_next_page"))
                and hasattr(value, "object_list")):
            if any(_shows(o, sources) for o in value.object_list):
                return True
            paginator = values.get(f"{key[:-5]}_paginator")
            if value.first and paginator is not None and any(
                    _shows(o, sources) for o in paginator.object_list):
                return True
    return False


class SelectedWriter(GatedWriter):
    """Writes only the pages that show an edited item."""

    def __init__(self, output_path, settings=None, selection: Selection | None = None):
        super().__init__(output_path, settings)
        self.selection = selection

    def write_file(self, name, template, context, *args, paginated=None, **kwargs):
        if paginated is None and not any(k in kwargs for k in _LISTS):
            if not self._shows(kwargs):  # one page that does not show the item: nothing to do
                return None
        return super().write_file(name, template, context, *args, paginated=paginated, **kwargs)

    def _shows(self, kwargs: dict) -> bool:
        if page_shows(kwargs, self.selection):
            return True
        others = {k: v for k, v in kwargs.items() if k not in _LISTS}
        return _holds(others, self.selection.sources)  # column plans list items in rows

    def renders(self, localcontext, template, kwargs) -> bool:
        return page_shows(localcontext, self.selection) or self._shows(kwargs)

    def write_feed(self, *args, **kwargs):  # Pelican's own feeds (off in our settings)
        return None


# --- the preview session -------------------------------------------------------------

def _clear_memos(content) -> None:
    """Drop Pelican's memoized body and summary of ``content`` (kept per object)."""
    for method in (content.get_content, content.get_summary):
        for key in [k for k in method.cache if k and k[0] is content]:
            del method.cache[key]


def _transplant(old, new) -> None:
    """``old`` becomes ``new`` in place; the links of the build are kept."""
    kept = {k: old.__dict__[k] for k in ("previous_item", "next_item", "related_items",
                                         "override_url") if k in old.__dict__}
    _clear_memos(old)
    old.__dict__.clear()
    old.__dict__.update(new.__dict__)
    old.__dict__.update(kept)
    _clear_memos(new)
    old.refresh_metadata_intersite_links()


def _drop_unplanned(before, plans, output: Path) -> None:
    """Remove the item's renditions no photo plans any more (a smaller photo has
    fewer sizes; a deleted photo has none), as a full build would not write them."""
    planned = {r.path for plan in plans for r in plan.renditions}
    for rendition in {r.path for plan in before for r in plan.renditions} - planned:
        (output / rendition).unlink(missing_ok=True)


class ItemRebuilder:
    """Rewrites the pages of one edited item of a build (see the module docstring).

    ``rebuilder(index_md, output)`` returns the pages written (relative paths),
    or None when only a full build is right (new, deleted or moved item; a
    change of date, topic, unit, tags or status). Reading errors propagate.
    """

    def __init__(self, generators):
        self.articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
        self.replayed = [g for g in generators if type(g).__name__ in REPLAYED]
        self.settings = with_defaults(self.articles.settings)

    def prepare(self) -> None:
        """Compute what the build left lazy (related items), before any edit."""
        for article in self.articles.articles:
            len(getattr(article, "related_items", ()) or ())

    def __call__(self, source: str | os.PathLike, output: str | os.PathLike) -> list[str] | None:
        articles = self.articles
        source = os.path.abspath(source)
        known = [*articles.articles, *articles.drafts, *articles.hidden_articles]
        old = next((a for a in known if a.source_path == source), None)
        if old is None or not os.path.isfile(source):
            return None
        # A changed photo leaves index.md as it was: read the file again regardless.
        forget_read(articles.readers, source)
        new = articles.readers.read_file(
            base_path=articles.path, path=os.path.relpath(source, articles.path),
            content_class=Article, context=articles.context,
            preread_signal=signals.article_generator_preread, preread_sender=articles,
            context_signal=signals.article_generator_context, context_sender=articles,
        )
        if not new.is_valid() or listing_key(new) != listing_key(old):
            return None
        before = [photo.plan for photo in getattr(old, "photos", ())]
        _transplant(old, new)
        plans = [photo.plan for photo in getattr(old, "photos", ())]
        publish_renditions(plans, Path(output), Path(self.settings["MTTQ_CACHE_DIR"]),
                           widths=self.settings["MTTQ_RENDITION_WIDTHS"], workers=1)
        _drop_unplanned(before, plans, Path(output))
        writer = SelectedWriter(str(output), settings=self.settings,
                                selection=Selection(frozenset({source})))
        with signals.content_written.muted():  # the sitemap waits for the next full build
            for generator in self.replayed:
                generator.generate_output(writer)
        return sorted(writer.rendered)


def keep_for_preview(generators) -> None:
    """``all_generators_finalized``: hand a preview session (``MTTQ_PREVIEW``)
    the rebuilder of this build's items."""
    session = generators[0].settings.get("MTTQ_PREVIEW") if generators else None
    if session is not None:
        session.attach(ItemRebuilder(generators))
