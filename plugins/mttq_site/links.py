"""Attach previous/next and related items, and the home page's topic blocks."""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from mttq.outputs import listing
from mttq.outputs.listing import group_by, neighbours, related_items
from mttq.outputs.pagination import first_page
from mttq.outputs.presentation import archive_months
from mttq.settings import registries_from_settings, with_defaults
from .records import refuse_duplicate_slugs

log = logging.getLogger(__name__)


def freeze_urls(contents) -> None:
    """Compute each item's URL once.

    Pelican recomputes ``article.url`` from its settings and metadata on every
    access (a metadata copy and path arithmetic); the templates ask for it tens
    of times per item (cards, previous/next, related items), which was the
    largest single cost of a warm build. Pelican returns ``override_url`` when
    set; it is set here from the URL Pelican computed itself, once every
    slug, date, category and status is final.
    """
    for content in contents:
        content.override_url = content.url


class _RelatedTable:
    """Related items of every item, computed on first use (in the process that
    renders the item pages: see ``parallel.py``) from plain records of the
    fields the scoring reads (Pelican's ``slug`` properties are slow when read
    millions of times). The table depends only on each item's slug, date,
    topic and tags: it is kept in the cache and reused while they are the
    same (a warm rebuild, an edit of an item's text)."""

    def __init__(self, articles, count: int, cache_dir: Path | None = None):
        self.articles = articles
        self.count = count
        self.cache_dir = cache_dir
        self.table: dict[str, list] | None = None

    def _compute(self) -> dict[str, list[str]]:
        records = [SimpleNamespace(
            slug=a.slug, date=a.date,
            tags=[SimpleNamespace(slug=t.slug) for t in getattr(a, "tags", None) or ()],
            category=SimpleNamespace(slug=a.category.slug)) for a in self.articles]
        key = hashlib.sha256(repr((self.count, [
            (r.slug, r.date.isoformat(), r.category.slug, [t.slug for t in r.tags])
            for r in records])).encode())
        key.update(Path(listing.__file__).read_bytes())  # a change of the scoring
        cached = self.cache_dir / f"related-{key.hexdigest()[:24]}.json" if self.cache_dir else None
        if cached is not None:
            try:
                return json.loads(cached.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
        table = {slug: [r.slug for r in chosen]
                 for slug, chosen in related_items(records, self.count).items()}
        if cached is not None:
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps(table), encoding="utf-8")
                tmp.replace(cached)
                for old in sorted(self.cache_dir.glob("related-*.json"),
                                  key=lambda p: p.stat().st_mtime, reverse=True)[3:]:
                    old.unlink(missing_ok=True)
            except OSError:
                pass
        return table

    def of(self, slug: str) -> list:
        if self.table is None:
            by_slug = {a.slug: a for a in self.articles}
            self.table = {s: [by_slug[o] for o in others]
                          for s, others in self._compute().items()}
        return self.table[slug]


class RelatedItems(Sequence):
    """An item's related items (a list to templates), computed when first read."""

    __slots__ = ("_table", "_slug")

    def __init__(self, table: _RelatedTable, slug: str):
        self._table = table
        self._slug = slug

    def __getitem__(self, index):
        return self._table.of(self._slug)[index]

    def __len__(self) -> int:
        return len(self._table.of(self._slug))


class ItemsOf(list):
    """The items of one keyword, topic or author: a list whose ``in`` looks the
    item up by identity in a set.

    Pelican writes each keyword's, topic's and author's page with
    ``[a for a in self.dates if a in articles]``: every item of the site
    tested against the list of each keyword, 8 million list scans of ~500
    items at 20,000 items and 42 keywords (~17 s). Items have no ``__eq__``:
    membership is identity, the same answer a list gives."""

    def __contains__(self, value) -> bool:
        ids = self.__dict__.get("_ids")
        if ids is None:
            ids = {id(item) for item in self}
            if len(ids) != len(self):  # the same item twice: as a plain list
                return list.__contains__(self, value)
            self.__dict__["_ids"] = ids
        return id(value) in ids


def _forgets_ids(name):
    def method(self, *args):
        self.__dict__.pop("_ids", None)
        return getattr(list, name)(self, *args)
    method.__name__ = name
    return method


for _name in ("__setitem__", "__delitem__", "__iadd__", "append", "extend", "insert",
              "remove", "pop", "clear"):
    setattr(ItemsOf, _name, _forgets_ids(_name))


def fast_membership(generator) -> None:
    """Make the item lists of keywords, topics and authors :class:`ItemsOf`, in place."""
    for tag in list(generator.tags):
        generator.tags[tag] = ItemsOf(generator.tags[tag])
    for pairs in (generator.categories, generator.authors):
        for index, (key, items) in enumerate(pairs):
            pairs[index] = (key, ItemsOf(items))


def link_items(generator):
    settings = with_defaults(generator.settings)
    refuse_duplicate_slugs(generator)
    fast_membership(generator)
    articles = generator.articles
    freeze_urls([*articles, *generator.drafts, *generator.hidden_articles])
    pairs = neighbours(articles)
    related = _RelatedTable(list(articles), settings["MTTQ_RELATED_COUNT"],
                            Path(settings["MTTQ_CACHE_DIR"]))
    for article in articles:
        article.previous_item, article.next_item = pairs[article.slug]
        article.related_items = RelatedItems(related, article.slug)
    registries = registries_from_settings(settings)
    by_topic = group_by(articles, lambda a: a.category.slug)
    categories = {c.slug: c for c, _ in generator.categories}
    generator.context["topic_blocks"] = [
        (topic, categories.get(key), by_topic.get(key, []))
        for key, topic in registries.topics.items()
    ]
    # The menu on every page: topics and their listing, not their items (a page
    # that only links a topic does not change when an item is added to it).
    generator.context["topic_menu"] = [(topic, category) for topic, category, _
                                       in generator.context["topic_blocks"]]
    generator.context["archive_months"] = archive_months(articles)
    generator.context["home_topic_blocks"] = home_topic_blocks(
        generator.context["topic_blocks"], first_page(articles, settings),
        settings["MTTQ_HOME_TOPIC_ITEMS"])


def home_topic_blocks(topic_blocks, first_page, count: int) -> list[tuple]:
    """(topic, category, items not already on the page, the topic's count of items) per topic.

    The home page lists its first page of items in date order (the same page its
    "Trang sau" continues from); each topic block under it shows the topic's
    newest items *not* in that list, so no card appears twice on the page and
    the date-ordered pages show every item exactly once."""
    shown = {id(a) for a in first_page}
    return [(topic, category, [a for a in items if id(a) not in shown][:count], len(items))
            for topic, category, items in topic_blocks]
