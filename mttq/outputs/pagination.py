"""Stable pagination: a listing's older pages keep their items when one is added.

Pelican's paginator cuts a listing from its newest item: page 2 holds items
13–24, page 3 items 25–36, and so on. One new item moves one item across every
page boundary, so every page of every listing it is in changes: at 20,000
items, a publish after one merge re-rendered 2,200 listing pages (1,658 home
pages) for one item (README, "where the publish after one merge goes").

Here the first page (the listing's own address) still shows the newest
``per_page`` items, as readers expect. The other items are cut into *blocks*
counted from the oldest: block 1 holds the oldest ``per_page`` items, block 2
the next ones, and the newest block takes the remainder (``per_page`` to
``2 * per_page - 1`` items). A block's address is built from its block number
(``PAGINATION_PATTERNS``' ``{number}``, e.g. ``chu-de/x/trang/7/``), so an
address keeps showing the same items for good. Adding the newest item changes
the first page, the newest block (it gains the item that left the first page,
or splits in two) and the block before it (its "newer" neighbour changed): at
most three pages per listing, whatever the listing's length. An item dated in
the past (a late item) shifts only the blocks newer than it.

Pelican's writer loops over ``range(num_pages)`` and asks ``page(n)`` for
``n = 1..num_pages``; here ``n`` is the page's place from the newest (1 the
first page, 2 the newest block, ``num_pages`` block 1), so the writer's
"previous" page is the newer one and its "next" the older one.

Written by hand: Pelican has no setting for it, and no pelican-plugins
package changes how listings are cut (pelican-paginator-… plugins only style
the page links). :func:`install` in ``plugins/mttq_site/speed.py`` puts the
class where Pelican's writer looks it up.
"""
from __future__ import annotations

from pelican.paginator import Page, Paginator


def newest_first(items) -> bool:
    """Are dated items in the order this cut needs (newest first)? Items without
    dates are taken as the caller orders them."""
    dates = [getattr(item, "date", None) for item in items]
    if not dates or any(d is None for d in dates):
        return True
    try:
        return all(a >= b for a, b in zip(dates, dates[1:]))
    except TypeError:  # dates that cannot be compared (naive and aware): as given
        return True


class StablePaginator(Paginator):
    """A listing cut as the module docstring says. ``object_list`` is newest first
    (Pelican's order for every listing of this site: ``reversed-date``). A
    listing in another order (``ARTICLE_ORDER_BY`` changed, a plugin's own
    sort) is cut as Pelican cuts it (``stable`` false): its pages would not
    keep their items anyway, new items not arriving at its front."""

    def __init__(self, name, url, object_list, settings, per_page=None):
        super().__init__(name, url, object_list, settings, per_page)
        self.stable = newest_first(self.object_list)
        if self.stable:
            self.orphans = 0  # blocks absorb the remainder instead (DEFAULT_ORPHANS unused)

    @property
    def blocks(self) -> int:
        """How many blocks follow the first page."""
        rest = len(self.object_list) - self.per_page
        return max(1, rest // self.per_page) if rest > 0 else 0

    @property
    def num_pages(self) -> int:  # type: ignore[override]
        return 1 + self.blocks if self.stable else super().num_pages

    def page(self, number):
        """The page at place ``number`` from the newest (1-based)."""
        per_page, items = self.per_page, self.object_list
        if not self.stable:  # Pelican's cut; its page n at the address of block n
            start, end = (number - 1) * per_page, number * per_page
            if number == super().num_pages:
                end = len(items)
            return StablePage(self.name, self.url, items[start:end], number - 1, self,
                              self.settings)
        if number == 1:
            return StablePage(self.name, self.url, items[:per_page], 0, self, self.settings)
        blocks = self.blocks
        block = blocks - (number - 2)
        if not 1 <= block <= blocks:
            raise IndexError(f"no page {number} in a listing of {self.num_pages} pages")
        rest = len(items) - per_page
        start = (block - 1) * per_page  # counted from the oldest
        end = rest if block == blocks else block * per_page
        # items[per_page:] is newest first: the oldest-first range [start, end) is
        # the slice [rest - end, rest - start) of it.
        chosen = items[per_page + rest - end: per_page + rest - start]
        return StablePage(self.name, self.url, chosen, block, self, self.settings)


class StablePage(Page):
    """One page of a :class:`StablePaginator`.

    ``block`` is 0 for the first page, else the block's number from the oldest;
    it names the page's address. ``first`` is what templates test. ``number``
    (the place from the newest, Pelican's meaning) is a property, not an
    attribute: it changes for every older page whenever a block is added, and
    the pages' fingerprints (:mod:`.fingerprint`, by attributes) must not see it
    — templates do not show it.
    """

    def __init__(self, name, url, object_list, block, paginator, settings):
        self.block = block
        super().__init__(name, url, object_list, 0, paginator, settings)
        self.first = block == 0

    @property
    def number(self) -> int:  # type: ignore[override]
        if not self.paginator.stable:
            return self.block + 1
        return 1 if self.block == 0 else self.paginator.blocks - self.block + 2

    @number.setter
    def number(self, value) -> None:  # Page.__init__ assigns it; the block decides
        pass

    @property
    def newest(self):
        """The page's newest item (for the page's heading: the dates it covers)."""
        return self.object_list[0] if self.object_list else None

    @property
    def oldest(self):
        return self.object_list[-1] if self.object_list else None

    def _from_settings(self, key):
        """The address by Pelican's ``PAGINATION_PATTERNS``: the first page by the
        pattern of page 1, a block by the pattern Pelican uses for page 2, with
        ``{number}`` the block's number."""
        if self.first:
            return super()._from_settings(key)
        rule = None
        for pattern in self.settings["PAGINATION_PATTERNS"]:
            if pattern.min_page != -1 and pattern.min_page <= 2:
                rule = pattern
        if rule is None:
            return ""
        value = getattr(rule, key).format(
            save_as=self.full_name, url=self.base_url, name=self.name,
            base_name=self.base_name, extension=self.extension, number=self.block)
        return value[1:] if value.startswith("/") else value

    url = property(lambda self: self._from_settings("URL"))
    save_as = property(lambda self: self._from_settings("SAVE_AS"))


def first_page(articles, settings) -> list:
    """The items of a listing's first page (the home page's list), as the site cuts it."""
    per_page = (settings.get("PAGINATED_TEMPLATES") or {}).get("index") or settings.get(
        "DEFAULT_PAGINATION")
    items = list(articles)
    return items[:per_page] if per_page else items
