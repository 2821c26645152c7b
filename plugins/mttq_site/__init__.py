"""The provincial Front site's Pelican plugin: thin adapters over :mod:`mttq`.

- reader: item bundles -> content + validated metadata + responsive figures
- links: previous/next, related items, home-page topic blocks
- units: unit pages
- photos: encode/copy the planned photo renditions (cached, in parallel)
- selected: rewrite only the pages showing an edited item (``invoke serve``)
- parallel: a second process renders the item and keyword pages
"""
from functools import lru_cache

from pelican import signals

from .feeds import get_generators as feed_generators
from .links import link_items
from .photos import place_renditions
from .reader import add_reader
from .search import get_generators as search_generators, start_index
from .selected import keep_for_preview
from . import parallel
from .reports import get_generators as report_generators
from .units import UnitPagesGenerator

from mttq.presentation import FILTERS
from mttq.settings import with_defaults


def get_generators(pelican):
    return UnitPagesGenerator


@lru_cache(maxsize=50_000)
def _card_picture(photo, siteurl, eager):
    return FILTERS["card_picture"](photo, siteurl, eager)


def card_picture(photo, siteurl: str = "", eager: bool = False):
    """``card_picture``, remembered: an item's card is shown on ~10 listing
    pages and as a related item, and its markup never changes for the same
    photo plan (a frozen, hashable value). A plain function, so the settings
    that hold it can be pickled (Pelican's reader cache pickles them)."""
    return _card_picture(photo, siteurl, eager)


_FILTERS = {**FILTERS, "card_picture": card_picture}


def configure(pelican):
    """Project defaults and Jinja filters, before any generator copies settings."""
    with_defaults(pelican.settings)
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(_FILTERS)


def contexts_ready(generators):
    """Every generator has its context. In this order (one receiver: blinker
    does not keep the order of receivers): the search index and the second
    page-writing process start (on other cores), then the photos are placed."""
    start_index(generators)
    parallel.start(generators)
    place_renditions(generators)
    keep_for_preview(generators)  # invoke serve: rewrite one edited item's pages later


def register():
    signals.initialized.connect(configure)
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(link_items)
    signals.get_generators.connect(get_generators)
    signals.get_generators.connect(search_generators)
    signals.get_generators.connect(feed_generators)
    signals.get_generators.connect(report_generators)
    signals.all_generators_finalized.connect(contexts_ready)
    parallel.register()  # the writer when a second process renders item pages
